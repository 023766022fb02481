// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// A small ETH bank with a planted bug: withdrawing a whole balance skips
/// the bookkeeping of `totalDeposits`.
contract Bank {
    mapping(address => uint256) public balanceOf;
    uint256 public totalDeposits;

    function deposit() external payable {
        balanceOf[msg.sender] += msg.value;
        totalDeposits += msg.value;
    }

    function transfer(address to, uint256 amount) external {
        require(balanceOf[msg.sender] >= amount, "insufficient balance");
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
    }

    function withdraw(uint256 amount) external {
        require(amount > 0 && balanceOf[msg.sender] >= amount, "insufficient balance");
        balanceOf[msg.sender] -= amount;
        if (balanceOf[msg.sender] > 0) {
            totalDeposits -= amount; // BUG: a full withdrawal never reaches this line
        }
        payable(msg.sender).transfer(amount);
    }
}

/// Echidna-style harness: every `echidna_*` function is a property that
/// must stay true whatever the senders call in whatever order.
contract BankProperties is Bank {
    /// The bank can always pay everyone back.
    function echidna_solvent() external view returns (bool) {
        return address(this).balance >= totalDeposits;
    }

    /// The bookkeeping matches the ETH actually held.
    function echidna_accounting_exact() external view returns (bool) {
        return address(this).balance == totalDeposits;
    }

    /// Nobody holds more than the bank ever received.
    function echidna_no_balance_above_total() external view returns (bool) {
        return balanceOf[address(0x10000)] <= totalDeposits + address(this).balance;
    }
}
