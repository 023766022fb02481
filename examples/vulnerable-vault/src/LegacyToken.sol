pragma solidity ^0.4.24;

/// A pre-0.8 token without overflow checks.
contract LegacyToken {
    mapping(address => uint256) public balanceOf;
    uint256 public totalSupply;

    function LegacyToken(uint256 supply) public {
        balanceOf[msg.sender] = supply;
        totalSupply = supply;
    }

    function transfer(address to, uint256 value) public returns (bool) {
        require(balanceOf[msg.sender] - value >= 0);
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        return true;
    }

    function batchTransfer(address[] receivers, uint256 value) public returns (bool) {
        uint256 amount = receivers.length * value;
        require(balanceOf[msg.sender] >= amount);
        balanceOf[msg.sender] -= amount;
        for (uint256 i = 0; i < receivers.length; i++) {
            balanceOf[receivers[i]] += value;
        }
        return true;
    }
}
