// SPDX-License-Identifier: MIT
pragma solidity ^0.7.6;

/// A lottery whose winner anyone can predict.
contract Lottery {
    address[] public players;
    uint256 public constant TICKET = 0.1 ether;

    function enter() external payable {
        require(msg.value == TICKET, "wrong price");
        players.push(msg.sender);
    }

    function draw() external {
        require(players.length > 0, "no players");
        uint256 index = uint256(keccak256(abi.encodePacked(block.timestamp, block.difficulty))) % players.length;
        address payable winner = payable(players[index]);
        delete players;
        winner.transfer(address(this).balance);
    }
}
