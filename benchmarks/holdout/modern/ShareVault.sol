// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// Single-asset vault with ERC4626-style share accounting and a
/// performance fee taken on harvested yield.
contract ShareVault {
    IERC20 public immutable asset;
    address public governance;
    address public feeRecipient;
    uint256 public performanceFeeBps = 1_000;
    uint256 public constant MAX_BPS = 10_000;

    uint256 public totalShares;
    uint256 public totalManaged;
    mapping(address => uint256) public sharesOf;

    event Deposit(address indexed caller, address indexed receiver, uint256 assets, uint256 shares);
    event Withdraw(address indexed caller, address indexed receiver, uint256 assets, uint256 shares);
    event Harvest(uint256 profit, uint256 fee);

    modifier onlyGovernance() {
        require(msg.sender == governance, "vault: not governance");
        _;
    }

    constructor(IERC20 asset_, address feeRecipient_) {
        asset = asset_;
        governance = msg.sender;
        feeRecipient = feeRecipient_;
    }

    function convertToShares(uint256 assets) public view returns (uint256) {
        if (totalShares == 0 || totalManaged == 0) return assets;
        return (assets * totalShares) / totalManaged;
    }

    function convertToAssets(uint256 shares) public view returns (uint256) {
        if (totalShares == 0) return shares;
        return (shares * totalManaged) / totalShares;
    }

    function deposit(uint256 assets, address receiver) external returns (uint256 shares) {
        require(assets > 0, "vault: zero assets");
        shares = convertToShares(assets);
        asset.transferFrom(msg.sender, address(this), assets);
        totalManaged += assets;
        totalShares += shares;
        sharesOf[receiver] += shares;
        emit Deposit(msg.sender, receiver, assets, shares);
    }

    function redeem(uint256 shares, address receiver) external returns (uint256 assets) {
        require(sharesOf[msg.sender] >= shares, "vault: shares");
        assets = convertToAssets(shares);
        sharesOf[msg.sender] -= shares;
        totalShares -= shares;
        totalManaged -= assets;
        require(asset.transfer(receiver, assets), "vault: transfer failed");
        emit Withdraw(msg.sender, receiver, assets, shares);
    }

    /// Books the yield the strategy sent back and mints the fee as shares.
    function harvest() external onlyGovernance {
        uint256 held = asset.balanceOf(address(this));
        if (held <= totalManaged) return;
        uint256 profit = held - totalManaged;
        uint256 feeAssets = profit / MAX_BPS * performanceFeeBps;
        totalManaged = held;
        uint256 feeShares = convertToShares(feeAssets);
        totalShares += feeShares;
        sharesOf[feeRecipient] += feeShares;
        emit Harvest(profit, feeAssets);
    }

    function setPerformanceFee(uint256 bps) external onlyGovernance {
        require(bps <= 2_000, "vault: fee too high");
        performanceFeeBps = bps;
    }
}
