pragma solidity ^0.5.12;

/// Family wallet: the owner funds it, members have daily allowances.
contract SharedWallet {
    address payable public owner;
    mapping(address => uint) public dailyLimit;
    mapping(address => uint) public spentToday;
    mapping(address => uint) public lastDay;

    event Spent(address indexed member, address indexed to, uint amount);
    event LimitChanged(address indexed member, uint limit);

    constructor() public {
        owner = msg.sender;
    }

    function() external payable {}

    function setLimit(address member, uint limit) public {
        require(tx.origin == owner, "wallet: owner only");
        dailyLimit[member] = limit;
        emit LimitChanged(member, limit);
    }

    function spend(address payable to, uint amount) public {
        uint today = now / 1 days;
        if (lastDay[msg.sender] != today) {
            lastDay[msg.sender] = today;
            spentToday[msg.sender] = 0;
        }
        require(spentToday[msg.sender] + amount <= dailyLimit[msg.sender], "wallet: over limit");
        spentToday[msg.sender] += amount;
        (bool ok, ) = to.call.value(amount)("");
        require(ok, "wallet: payment failed");
        emit Spent(msg.sender, to, amount);
    }

    function ownerWithdraw(uint amount) public {
        require(msg.sender == owner, "wallet: owner only");
        owner.transfer(amount);
    }

    function close() public {
        require(tx.origin == owner, "wallet: owner only");
        selfdestruct(owner);
    }
}
