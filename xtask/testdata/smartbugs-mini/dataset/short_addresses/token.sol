pragma solidity ^0.4.24;

contract Token {
    mapping(address => uint256) balances;

    // <yes> <report> SHORT_ADDRESSES
    function sendCoin(address to, uint256 amount) public returns (bool) {
        if (balances[msg.sender] < amount) return false;
        balances[msg.sender] -= amount;
        balances[to] += amount;
        return true;
    }
}
