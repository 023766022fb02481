// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IUniswapV2Pair {
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
    function token0() external view returns (address);
    function price0CumulativeLast() external view returns (uint256);
    function price1CumulativeLast() external view returns (uint256);
}

interface IERC20 {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
}

interface IMintable {
    function mint(address to, uint256 amount) external;
    function burnFrom(address from, uint256 amount) external;
}

/// Mints a USD synthetic against GOV collateral, valued through the GOV/USDC pair.
contract PairPricedMinter {
    IERC20 public immutable gov;
    IMintable public immutable synth;
    IUniswapV2Pair public pair;
    address public governance;

    uint256 public constant PERIOD = 30 minutes;
    uint256 public constant COLLATERAL_RATIO_BPS = 15_000;

    uint256 public priceCumulativeLast;
    uint32 public observedAt;
    uint256 public twapPrice;

    mapping(address => uint256) public collateral;
    mapping(address => uint256) public minted;

    modifier onlyGovernance() {
        require(msg.sender == governance, "governance only");
        _;
    }

    constructor(IERC20 _gov, IMintable _synth, IUniswapV2Pair _pair) {
        gov = _gov;
        synth = _synth;
        pair = _pair;
        governance = msg.sender;
        priceCumulativeLast = _govCumulative();
        observedAt = uint32(block.timestamp);
    }

    function _govIsToken0() internal view returns (bool) {
        return pair.token0() == address(gov);
    }

    function _govCumulative() internal view returns (uint256) {
        return _govIsToken0() ? pair.price0CumulativeLast() : pair.price1CumulativeLast();
    }

    /// USDC per GOV, 18 decimals, from the current reserves.
    function spotPrice() public view returns (uint256) {
        (uint112 r0, uint112 r1, ) = pair.getReserves();
        return _govIsToken0() ? (uint256(r1) * 1e18) / r0 : (uint256(r0) * 1e18) / r1;
    }

    /// Anyone may refresh the time-weighted average once per period.
    function updateTwap() external {
        uint32 nowTs = uint32(block.timestamp);
        uint32 elapsed = nowTs - observedAt;
        require(elapsed >= PERIOD, "period not elapsed");
        uint256 cumulative = _govCumulative();
        // UQ112x112 average price, scaled to 18 decimals.
        twapPrice = (((cumulative - priceCumulativeLast) / elapsed) * 1e18) >> 112;
        priceCumulativeLast = cumulative;
        observedAt = nowTs;
    }

    function depositAndMint(uint256 govAmount, uint256 mintAmount) external {
        require(gov.transferFrom(msg.sender, address(this), govAmount), "transferFrom failed");
        collateral[msg.sender] += govAmount;
        minted[msg.sender] += mintAmount;
        uint256 value = (collateral[msg.sender] * spotPrice()) / 1e18;
        require(value * 10_000 >= minted[msg.sender] * COLLATERAL_RATIO_BPS, "undercollateralised");
        synth.mint(msg.sender, mintAmount);
    }

    function repayAndWithdraw(uint256 burnAmount, uint256 govAmount) external {
        synth.burnFrom(msg.sender, burnAmount);
        minted[msg.sender] -= burnAmount;
        collateral[msg.sender] -= govAmount;
        uint256 value = (collateral[msg.sender] * twapPrice) / 1e18;
        require(value * 10_000 >= minted[msg.sender] * COLLATERAL_RATIO_BPS, "undercollateralised");
        require(gov.transfer(msg.sender, govAmount), "transfer failed");
    }

    function setPair(IUniswapV2Pair newPair) external onlyGovernance {
        pair = newPair;
        priceCumulativeLast = _govCumulative();
        observedAt = uint32(block.timestamp);
    }

    function setGovernance(address next) external onlyGovernance {
        require(next != address(0), "zero");
        governance = next;
    }
}
