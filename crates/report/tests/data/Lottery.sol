pragma solidity 0.4.24;

contract Lottery {
    address[] players;

    function draw() public {
        uint winner = uint(
            keccak256(
                block.timestamp,
                block.difficulty,
                players.length,
                msg.sender
            )
        ) % players.length;
        players[winner].transfer(this.balance);
    }
}
