// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title A vault with a classic bug.
contract Vault {
    mapping(address => uint256) public balances;
    address public owner;

    // bulwark-disable-next-line timestamp -- no longer needed
    function deposit() external payable {
        balances[msg.sender] += msg.value;
    }

    function withdraw(uint256 amount) external {
        require(balances[msg.sender] >= amount, "insufficient");
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok);
        balances[msg.sender] -= amount;
    }

    function sweep(address to) external {
        require(tx.origin == owner);
        payable(to).transfer(address(this).balance);
    }

	function close() external {
		selfdestruct(payable(msg.sender)); // "<b>not markup</b>"
	}
}
