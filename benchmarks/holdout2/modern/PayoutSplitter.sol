// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Splits incoming ETH (mint revenue, royalties) between contributors by shares.
contract PayoutSplitter {
    struct Payee {
        address payable account;
        uint32 shares;
    }

    address public immutable admin;
    Payee[] public payees;
    uint256 public totalShares;
    uint256 public totalReleased;
    mapping(address => uint256) public released;
    mapping(address => uint256) public indexOf;

    uint256 public constant MAX_PAYEES = 25;

    event PayeeAdded(address indexed account, uint32 shares);
    event PaymentReleased(address indexed to, uint256 amount);
    event PaymentFailed(address indexed to, uint256 amount);

    constructor() {
        admin = msg.sender;
    }

    receive() external payable {}

    function addPayee(address payable account, uint32 shares) external {
        require(msg.sender == admin, "admin only");
        require(payees.length < MAX_PAYEES, "too many payees");
        require(account != address(0) && shares > 0, "bad payee");
        require(indexOf[account] == 0, "duplicate");
        payees.push(Payee(account, shares));
        indexOf[account] = payees.length;
        totalShares += shares;
        emit PayeeAdded(account, shares);
    }

    function pendingPayment(address account) public view returns (uint256) {
        uint256 idx = indexOf[account];
        if (idx == 0) return 0;
        uint256 totalReceived = address(this).balance + totalReleased;
        return (totalReceived * payees[idx - 1].shares) / totalShares - released[account];
    }

    /// Pays every contributor in one transaction; anyone may trigger it.
    function distribute() external {
        for (uint256 i = 0; i < payees.length; i++) {
            address payable account = payees[i].account;
            uint256 amount = pendingPayment(account);
            if (amount == 0) continue;
            released[account] += amount;
            totalReleased += amount;
            (bool ok, bytes memory reason) = account.call{value: amount}("");
            if (!ok) {
                emit PaymentFailed(account, amount);
                revert(string(reason));
            }
            emit PaymentReleased(account, amount);
        }
    }

    /// Pull path for a single contributor: bounded gas, return data never copied.
    function release(address payable account) external {
        uint256 amount = pendingPayment(account);
        require(amount > 0, "nothing due");
        released[account] += amount;
        totalReleased += amount;
        bool ok;
        assembly {
            ok := call(gas(), account, amount, 0, 0, 0, 0)
        }
        require(ok, "release failed");
        emit PaymentReleased(account, amount);
    }
}
