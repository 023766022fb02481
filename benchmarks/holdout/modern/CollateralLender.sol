// SPDX-License-Identifier: BUSL-1.1
pragma solidity ^0.8.21;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function decimals() external view returns (uint8);
}

interface AggregatorV3Interface {
    function decimals() external view returns (uint8);
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}

/// Borrow a stablecoin against WETH collateral priced by a Chainlink feed.
contract CollateralLender {
    struct Position {
        uint128 collateral;
        uint128 debt;
    }

    IERC20 public immutable weth;
    IERC20 public immutable stable;
    AggregatorV3Interface public ethUsdFeed;
    address public admin;
    uint256 public constant LTV_BPS = 7_500;
    uint256 public constant LIQ_THRESHOLD_BPS = 8_250;
    uint256 public constant LIQ_BONUS_BPS = 500;

    mapping(address => Position) public positions;

    event Borrowed(address indexed user, uint256 amount);
    event Liquidated(address indexed user, address indexed liquidator, uint256 repaid, uint256 seized);

    constructor(IERC20 weth_, IERC20 stable_, AggregatorV3Interface feed) {
        weth = weth_;
        stable = stable_;
        ethUsdFeed = feed;
        admin = msg.sender;
    }

    function ethPrice() public view returns (uint256) {
        (, int256 answer, , , ) = ethUsdFeed.latestRoundData();
        return uint256(answer) * 1e10;
    }

    function collateralValue(address user) public view returns (uint256) {
        return (uint256(positions[user].collateral) * ethPrice()) / 1e18;
    }

    function depositCollateral(uint256 amount) external {
        require(weth.transferFrom(msg.sender, address(this), amount), "lender: transferFrom");
        positions[msg.sender].collateral += _toUint128(amount);
    }

    function borrow(uint256 amount) external {
        Position storage p = positions[msg.sender];
        uint256 newDebt = uint256(p.debt) + amount;
        require(newDebt * 10_000 <= collateralValue(msg.sender) * LTV_BPS, "lender: undercollateralised");
        p.debt = uint128(newDebt);
        require(stable.transfer(msg.sender, amount), "lender: transfer");
        emit Borrowed(msg.sender, amount);
    }

    function repay(uint256 amount) external {
        Position storage p = positions[msg.sender];
        require(amount <= p.debt, "lender: too much");
        p.debt -= uint128(amount);
        require(stable.transferFrom(msg.sender, address(this), amount), "lender: transferFrom");
    }

    function liquidate(address user, uint256 repayAmount) external {
        Position storage p = positions[user];
        require(uint256(p.debt) * 10_000 > collateralValue(user) * LIQ_THRESHOLD_BPS, "lender: healthy");
        require(repayAmount <= p.debt, "lender: repay too large");
        uint256 seized = (repayAmount * (10_000 + LIQ_BONUS_BPS) * 1e18) / (ethPrice() * 10_000);
        require(seized <= p.collateral, "lender: seize too large");
        p.debt -= uint128(repayAmount);
        p.collateral -= uint128(seized);
        require(stable.transferFrom(msg.sender, address(this), repayAmount), "lender: transferFrom");
        require(weth.transfer(msg.sender, seized), "lender: transfer");
        emit Liquidated(user, msg.sender, repayAmount, seized);
    }

    function _toUint128(uint256 x) private pure returns (uint128) {
        require(x <= type(uint128).max, "lender: overflow");
        return uint128(x);
    }

    function setPriceFeed(AggregatorV3Interface feed) external {
        ethUsdFeed = feed;
    }

    function setAdmin(address next) external {
        require(msg.sender == admin, "lender: not admin");
        admin = next;
    }
}
