// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function balanceOf(address who) external view returns (uint256);
}

/// Share-based savings pool. Listed tokens include ERC777-compatible ones,
/// whose transfers call the recipient's `tokensReceived` hook.
contract HookTokenPool {
    IERC20 public immutable token;
    address public immutable manager;
    uint256 public totalShares;
    uint256 public totalDeposits;
    mapping(address => uint256) public sharesOf;
    bool private entered;

    event Deposited(address indexed user, uint256 amount, uint256 shares);
    event Withdrawn(address indexed user, uint256 amount, uint256 shares);

    modifier nonReentrant() {
        require(!entered, "reentrant");
        entered = true;
        _;
        entered = false;
    }

    constructor(IERC20 _token) {
        token = _token;
        manager = msg.sender;
    }

    function _toShares(uint256 amount) internal view returns (uint256) {
        return totalShares == 0 ? amount : (amount * totalShares) / totalDeposits;
    }

    function _toAmount(uint256 shares) internal view returns (uint256) {
        return totalShares == 0 ? 0 : (shares * totalDeposits) / totalShares;
    }

    function deposit(uint256 amount) external nonReentrant {
        uint256 shares = _toShares(amount);
        require(shares > 0, "zero shares");
        require(token.transferFrom(msg.sender, address(this), amount), "transferFrom failed");
        totalDeposits += amount;
        totalShares += shares;
        sharesOf[msg.sender] += shares;
        emit Deposited(msg.sender, amount, shares);
    }

    function withdraw(uint256 shares) external {
        require(shares > 0 && shares <= sharesOf[msg.sender], "bad shares");
        uint256 amount = _toAmount(shares);
        require(token.transfer(msg.sender, amount), "transfer failed");
        sharesOf[msg.sender] -= shares;
        totalShares -= shares;
        totalDeposits -= amount;
        emit Withdrawn(msg.sender, amount, shares);
    }

    /// Interest earned off-chain is pushed in by the manager.
    function addInterest(uint256 amount) external nonReentrant {
        require(msg.sender == manager, "manager only");
        require(token.transferFrom(msg.sender, address(this), amount), "transferFrom failed");
        totalDeposits += amount;
    }

    function balanceOfUnderlying(address user) external view returns (uint256) {
        return _toAmount(sharesOf[user]);
    }
}
