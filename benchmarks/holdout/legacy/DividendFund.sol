pragma solidity ^0.4.18;

/// Investment club: members buy shares with ether, the manager books
/// profits and dividends are paid pro rata.
contract DividendFund {
    address public manager;
    uint public sharePrice = 1 ether;
    uint public totalShares;
    address[] public members;
    mapping(address => uint) public shares;
    mapping(address => uint) public dividendsPaid;
    uint public undistributed;

    event SharesBought(address indexed member, uint count);
    event DividendPaid(address indexed member, uint amount);

    modifier onlyManager() {
        require(msg.sender == manager);
        _;
    }

    function DividendFund() public {
        manager = msg.sender;
    }

    function buyShares() public payable {
        require(msg.value >= sharePrice);
        uint count = msg.value / sharePrice;
        if (shares[msg.sender] == 0) {
            members.push(msg.sender);
        }
        shares[msg.sender] += count;
        totalShares += count;
        SharesBought(msg.sender, count);
    }

    function bookProfit() public payable onlyManager {
        undistributed += msg.value;
    }

    function distribute() public onlyManager {
        require(totalShares > 0);
        uint perShare = undistributed / totalShares;
        for (uint i = 0; i < members.length; i++) {
            address member = members[i];
            uint amount = perShare * shares[member];
            undistributed -= amount;
            payDividend(member, amount);
        }
    }

    function payDividend(address member, uint amount) {
        dividendsPaid[member] += amount;
        member.transfer(amount);
        DividendPaid(member, amount);
    }

    function setSharePrice(uint price) public onlyManager {
        sharePrice = price;
    }
}
