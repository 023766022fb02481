pragma solidity 0.4.24;

contract WeeklyLottery {
    address public operator;
    uint256 public ticketPrice;
    uint256 public round = 1;
    uint256 public roundEnd;
    uint256 public roundLength;
    uint256 public operatorShareBps = 500;
    uint256 public constant MAX_TICKETS = 500;

    address[] public players;
    mapping(uint256 => address) public winners;
    mapping(uint256 => uint256) public prizes;

    event TicketsBought(uint256 indexed round, address indexed player, uint256 count);
    event Drawn(uint256 indexed round, address indexed winner, uint256 prize);

    modifier onlyOperator() {
        require(msg.sender == operator);
        _;
    }

    constructor(uint256 price, uint256 length) public {
        require(price > 0 && length >= 1 days);
        operator = msg.sender;
        ticketPrice = price;
        roundLength = length;
        roundEnd = now + length;
    }

    function buyTickets(uint256 count) public payable {
        require(now < roundEnd);
        require(count > 0 && count <= 50);
        require(players.length + count <= MAX_TICKETS);
        require(msg.value == ticketPrice * count);
        for (uint256 i = 0; i < count; i++) {
            players.push(msg.sender);
        }
        emit TicketsBought(round, msg.sender, count);
    }

    function ticketsSold() public view returns (uint256) {
        return players.length;
    }

    function draw() public {
        require(now >= roundEnd);
        require(players.length > 0);
        uint256 seed = uint256(keccak256(abi.encodePacked(blockhash(block.number - 1), now, players.length)));
        address winner = players[seed % players.length];
        uint256 pot = address(this).balance;
        uint256 cut = pot * operatorShareBps / 10000;

        winners[round] = winner;
        prizes[round] = pot - cut;
        delete players;
        round += 1;
        roundEnd = now + roundLength;

        operator.transfer(cut);
        winner.send(pot - cut);
        emit Drawn(round - 1, winner, pot - cut);
    }

    function setTicketPrice(uint256 price) public onlyOperator {
        require(players.length == 0);
        require(price > 0);
        ticketPrice = price;
    }

    function setOperatorShare(uint256 bps) public onlyOperator {
        require(bps <= 1000);
        operatorShareBps = bps;
    }

    function transferOperator(address next) public onlyOperator {
        require(next != address(0));
        operator = next;
    }
}
