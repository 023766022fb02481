// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Weekly lottery: tickets are sold until the draw block; the winner is
/// picked from a future block hash committed at close.
contract WeeklyLottery {
    uint256 public constant TICKET_PRICE = 0.01 ether;
    address public operator;
    address[] public tickets;
    uint256 public drawBlock;
    uint256 public round;
    mapping(uint256 => address) public winners;

    event TicketBought(uint256 indexed round, address indexed player, uint256 count);
    event Closed(uint256 indexed round, uint256 drawBlock);
    event Drawn(uint256 indexed round, address indexed winner, uint256 prize);

    constructor() {
        operator = msg.sender;
    }

    function buyTickets(uint256 count) external payable {
        require(drawBlock == 0, "lottery: closed");
        require(count > 0 && count <= 100, "lottery: count");
        require(msg.value == TICKET_PRICE * count, "lottery: price");
        for (uint256 i = 0; i < count; i++) {
            tickets.push(msg.sender);
        }
        emit TicketBought(round, msg.sender, count);
    }

    function close() external {
        require(msg.sender == operator, "lottery: operator");
        require(drawBlock == 0 && tickets.length > 0, "lottery: state");
        drawBlock = block.number + 5;
        emit Closed(round, drawBlock);
    }

    function draw() external {
        require(drawBlock != 0 && block.number > drawBlock, "lottery: too early");
        uint256 seed = uint256(blockhash(drawBlock));
        address winner = tickets[seed % tickets.length];
        uint256 prize = (address(this).balance * 95) / 100;
        winners[round] = winner;
        delete tickets;
        drawBlock = 0;
        round++;
        (bool ok, ) = winner.call{value: prize}("");
        require(ok, "lottery: payout");
        emit Drawn(round - 1, winner, prize);
    }

    function quickPick(uint256 guess) external payable {
        require(msg.value == TICKET_PRICE, "lottery: price");
        uint256 number = uint256(keccak256(abi.encode(blockhash(block.number - 1), msg.sender))) % 10;
        if (number == guess) {
            (bool ok, ) = msg.sender.call{value: TICKET_PRICE * 8}("");
            require(ok, "lottery: payout");
        }
    }

    function sweepFees(address to) external {
        require(msg.sender == operator, "lottery: operator");
        require(drawBlock == 0 && tickets.length == 0, "lottery: round open");
        (bool ok, ) = to.call{value: address(this).balance}("");
        require(ok, "lottery: sweep");
    }
}
