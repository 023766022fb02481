// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// ETH / liquid-staking-token pool with an LP token tracked internally.
contract LsdLiquidityPool {
    IERC20 public immutable lsd;
    uint256 public ethReserve;
    uint256 public lsdReserve;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    bool private locked;

    modifier nonReentrant() {
        require(!locked, "reentrant");
        locked = true;
        _;
        locked = false;
    }

    constructor(IERC20 _lsd) {
        lsd = _lsd;
    }

    function addLiquidity(uint256 lsdAmount) external payable nonReentrant returns (uint256 minted) {
        require(msg.value > 0 && lsdAmount > 0, "zero");
        require(lsd.transferFrom(msg.sender, address(this), lsdAmount), "transferFrom failed");
        if (totalSupply == 0) {
            minted = msg.value + lsdAmount;
        } else {
            uint256 a = (msg.value * totalSupply) / ethReserve;
            uint256 b = (lsdAmount * totalSupply) / lsdReserve;
            minted = a < b ? a : b;
        }
        ethReserve += msg.value;
        lsdReserve += lsdAmount;
        totalSupply += minted;
        balanceOf[msg.sender] += minted;
    }

    function removeLiquidity(uint256 amount) external nonReentrant {
        uint256 ethOut = (ethReserve * amount) / totalSupply;
        uint256 lsdOut = (lsdReserve * amount) / totalSupply;
        balanceOf[msg.sender] -= amount;
        totalSupply -= amount;

        (bool ok, ) = msg.sender.call{value: ethOut}("");
        require(ok, "eth transfer failed");

        ethReserve -= ethOut;
        lsdReserve -= lsdOut;
        require(lsd.transfer(msg.sender, lsdOut), "lsd transfer failed");
    }

    /// Value of one LP token in ETH terms (LSD counted 1:1), 18 decimals.
    function getVirtualPrice() external view returns (uint256) {
        if (totalSupply == 0) return 1e18;
        return ((ethReserve + lsdReserve) * 1e18) / totalSupply;
    }
}

interface IStableLike {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// Lends a stablecoin against LP tokens of the pool above, escrowed here.
contract LpCollateralLender {
    LsdLiquidityPool public immutable pool;
    IStableLike public immutable stable;
    uint256 public constant LTV_BPS = 8_000;
    uint256 public ethUsd = 3_000e18;
    address public immutable priceKeeper;

    mapping(address => uint256) public lpDeposited;
    mapping(address => uint256) public debt;

    constructor(LsdLiquidityPool _pool, IStableLike _stable) {
        pool = _pool;
        stable = _stable;
        priceKeeper = msg.sender;
    }

    function setEthUsd(uint256 price) external {
        require(msg.sender == priceKeeper, "keeper only");
        ethUsd = price;
    }

    /// LP tokens are credited by the pool operator's escrow hook.
    function creditLp(address user, uint256 amount) external {
        require(msg.sender == priceKeeper, "keeper only");
        lpDeposited[user] += amount;
    }

    function collateralUsd(address user) public view returns (uint256) {
        return (lpDeposited[user] * pool.getVirtualPrice() * ethUsd) / 1e36;
    }

    function borrow(uint256 amount) external {
        debt[msg.sender] += amount;
        require(debt[msg.sender] * 10_000 <= collateralUsd(msg.sender) * LTV_BPS, "undercollateralised");
        require(stable.transfer(msg.sender, amount), "transfer failed");
    }

    function repay(uint256 amount) external {
        require(stable.transferFrom(msg.sender, address(this), amount), "transferFrom failed");
        debt[msg.sender] -= amount;
    }
}
