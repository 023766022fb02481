// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function balanceOf(address who) external view returns (uint256);
}

abstract contract Ownable {
    address public owner;

    error NotOwner();

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    constructor() {
        owner = msg.sender;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    function transferOwnership(address newOwner) external onlyOwner {
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }
}

/// Single-asset yield vault with ERC4626-style accounting. A keeper sends
/// strategy profits straight to the vault, which raises the share price.
contract YieldVault is Ownable {
    IERC20 public immutable asset;
    string public constant name = "Yield Vault Share";
    uint8 public constant decimals = 18;

    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    uint256 public constant MAX_FEE_BPS = 500;
    uint256 public withdrawFeeBps = 30;
    address public feeRecipient;

    error ZeroShares();
    error FeeTooHigh();
    error InsufficientShares();

    event Deposit(address indexed caller, address indexed receiver, uint256 assets, uint256 shares);
    event Withdraw(address indexed caller, address indexed receiver, uint256 assets, uint256 shares, uint256 fee);

    constructor(IERC20 _asset, address _feeRecipient) {
        asset = _asset;
        feeRecipient = _feeRecipient;
    }

    function totalAssets() public view returns (uint256) {
        return asset.balanceOf(address(this));
    }

    function convertToShares(uint256 assets) public view returns (uint256) {
        uint256 supply = totalSupply;
        return supply == 0 ? assets : (assets * supply) / totalAssets();
    }

    function convertToAssets(uint256 shares) public view returns (uint256) {
        uint256 supply = totalSupply;
        return supply == 0 ? shares : (shares * totalAssets()) / supply;
    }

    function deposit(uint256 assets, address receiver) external returns (uint256 shares) {
        shares = convertToShares(assets);
        if (shares == 0) revert ZeroShares();
        require(asset.transferFrom(msg.sender, address(this), assets), "transferFrom failed");
        _mint(receiver, shares);
        emit Deposit(msg.sender, receiver, assets, shares);
    }

    function redeem(uint256 shares, address receiver) external returns (uint256 assets) {
        assets = convertToAssets(shares);
        _burn(msg.sender, shares);
        uint256 fee = (assets * withdrawFeeBps) / 10_000;
        asset.transfer(feeRecipient, fee);
        require(asset.transfer(receiver, assets - fee), "transfer failed");
        emit Withdraw(msg.sender, receiver, assets - fee, shares, fee);
    }

    function setWithdrawFee(uint256 bps) external onlyOwner {
        if (bps > MAX_FEE_BPS) revert FeeTooHigh();
        withdrawFeeBps = bps;
    }

    function setFeeRecipient(address recipient) external {
        require(recipient != address(0), "zero recipient");
        feeRecipient = recipient;
    }

    function _mint(address to, uint256 shares) internal {
        totalSupply += shares;
        balanceOf[to] += shares;
    }

    function _burn(address from, uint256 shares) internal {
        if (balanceOf[from] < shares) revert InsufficientShares();
        balanceOf[from] -= shares;
        totalSupply -= shares;
    }
}
