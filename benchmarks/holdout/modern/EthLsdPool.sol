// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// Two-asset pool of ETH and a liquid staking token (1:1 pegged assets).
/// Lending markets read `virtualPrice()` to value LP tokens as collateral.
contract EthLsdPool {
    struct Checkpoint {
        uint128 lpBalance;
        uint64 lastDeposit;
        uint64 depositCount;
    }

    IERC20 public immutable lsd;
    uint256 public ethReserve;
    uint256 public lsdReserve;
    uint256 public lpSupply;
    bool private locked;
    mapping(address => Checkpoint) public accounts;

    modifier nonReentrant() {
        require(!locked, "pool: reentrant");
        locked = true;
        _;
        locked = false;
    }

    constructor(IERC20 lsd_) {
        lsd = lsd_;
    }

    /// Value of one LP token in ETH, 18 decimals.
    function virtualPrice() external view returns (uint256) {
        if (lpSupply == 0) return 1e18;
        return ((ethReserve + lsdReserve) * 1e18) / lpSupply;
    }

    function addLiquidity(uint256 lsdAmount) external payable nonReentrant returns (uint256 minted) {
        require(lsd.transferFrom(msg.sender, address(this), lsdAmount), "pool: transferFrom");
        uint256 added = msg.value + lsdAmount;
        minted = lpSupply == 0 ? added : (added * lpSupply) / (ethReserve + lsdReserve);
        ethReserve += msg.value;
        lsdReserve += lsdAmount;
        lpSupply += minted;
        Checkpoint storage c = accounts[msg.sender];
        c.lpBalance += uint128(minted);
        c.lastDeposit = uint64(block.timestamp);
        c.depositCount += 1;
    }

    function removeLiquidity(uint256 lpAmount) external nonReentrant {
        Checkpoint storage c = accounts[msg.sender];
        require(c.lpBalance >= lpAmount, "pool: balance");
        uint256 ethOut = (ethReserve * lpAmount) / lpSupply;
        uint256 lsdOut = (lsdReserve * lpAmount) / lpSupply;
        c.lpBalance -= uint128(lpAmount);
        ethReserve -= ethOut;
        (bool ok, ) = msg.sender.call{value: ethOut}("");
        require(ok, "pool: eth transfer");
        lsdReserve -= lsdOut;
        lpSupply -= lpAmount;
        require(lsd.transfer(msg.sender, lsdOut), "pool: lsd transfer");
    }

    function transferLp(address to, uint256 amount) external nonReentrant {
        Checkpoint storage from = accounts[msg.sender];
        require(from.lpBalance >= amount, "pool: balance");
        from.lpBalance -= uint128(amount);
        accounts[to].lpBalance += uint128(amount);
    }
}
