// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

/// @title A shared ETH vault with a few classic mistakes, used as Bulwark's demo project.
contract Vault {
    mapping(address => uint256) public balances;
    address public owner;
    uint256 public feeBps;

    constructor() {
        owner = msg.sender;
    }

    function deposit() external payable {
        balances[msg.sender] += msg.value;
    }

    /// Sends the caller's balance before zeroing it: the caller can re-enter.
    function withdraw() external {
        uint256 amount = balances[msg.sender];
        require(amount > 0, "nothing to withdraw");
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "transfer failed");
        balances[msg.sender] = 0;
    }

    /// Authorisation through tx.origin: a phishing contract can call this.
    function setFee(uint256 newFeeBps) external {
        require(tx.origin == owner, "not owner");
        feeBps = newFeeBps;
    }

    /// Anyone can destroy the vault.
    function close() external {
        selfdestruct(payable(msg.sender));
    }

    /// The low-level call's result is ignored.
    function sweep(address payable to) external {
        require(msg.sender == owner, "not owner");
        to.call{value: address(this).balance}("");
    }
}
