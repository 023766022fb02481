// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface AggregatorV3Interface {
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// Borrow a USD stablecoin against ETH collateral, priced with Chainlink.
contract EthBackedLending {
    IERC20 public immutable stable;
    AggregatorV3Interface public immutable ethUsdFeed;
    AggregatorV3Interface public immutable stableUsdFeed;

    uint256 public constant LTV_BPS = 7_500;
    uint256 public constant LIQUIDATION_THRESHOLD_BPS = 8_500;
    uint256 public constant LIQUIDATION_BONUS_BPS = 500;
    uint256 public constant MAX_PRICE_DELAY = 1 hours;

    mapping(address => uint256) public collateralOf;
    mapping(address => uint256) public debtOf;
    bool private entered;

    error BadPrice();
    error StalePrice();
    error Unhealthy();

    modifier nonReentrant() {
        require(!entered, "reentrant");
        entered = true;
        _;
        entered = false;
    }

    constructor(IERC20 _stable, AggregatorV3Interface _ethUsd, AggregatorV3Interface _stableUsd) {
        stable = _stable;
        ethUsdFeed = _ethUsd;
        stableUsdFeed = _stableUsd;
    }

    function _ethPrice() internal view returns (uint256) {
        (, int256 answer, , , ) = ethUsdFeed.latestRoundData();
        return uint256(answer) * 1e10;
    }

    function _stablePrice() internal view returns (uint256) {
        (uint80 roundId, int256 answer, , uint256 updatedAt, uint80 answeredInRound) = stableUsdFeed.latestRoundData();
        if (answer <= 0) revert BadPrice();
        if (updatedAt + MAX_PRICE_DELAY < block.timestamp) revert StalePrice();
        if (answeredInRound < roundId) revert StalePrice();
        return uint256(answer) * 1e10;
    }

    function _collateralUsd(address user) internal view returns (uint256) {
        return (collateralOf[user] * _ethPrice()) / 1e18;
    }

    function _debtUsd(address user) internal view returns (uint256) {
        return (debtOf[user] * _stablePrice()) / 1e18;
    }

    function _healthy(address user, uint256 thresholdBps) internal view returns (bool) {
        return _debtUsd(user) * 10_000 <= _collateralUsd(user) * thresholdBps;
    }

    function depositCollateral() external payable {
        collateralOf[msg.sender] += msg.value;
    }

    function borrow(uint256 amount) external nonReentrant {
        debtOf[msg.sender] += amount;
        if (!_healthy(msg.sender, LTV_BPS)) revert Unhealthy();
        require(stable.transfer(msg.sender, amount), "transfer failed");
    }

    function repay(uint256 amount) external {
        require(stable.transferFrom(msg.sender, address(this), amount), "transferFrom failed");
        debtOf[msg.sender] -= amount;
    }

    function withdrawCollateral(uint256 amount) external nonReentrant {
        collateralOf[msg.sender] -= amount;
        if (!_healthy(msg.sender, LTV_BPS)) revert Unhealthy();
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "send failed");
    }

    function liquidate(address borrower, uint256 repayAmount) external {
        require(!_healthy(borrower, LIQUIDATION_THRESHOLD_BPS), "position healthy");
        require(repayAmount <= debtOf[borrower] / 2, "close factor");
        uint256 seized = (repayAmount * _stablePrice() * (10_000 + LIQUIDATION_BONUS_BPS)) / (_ethPrice() * 10_000);
        require(seized <= collateralOf[borrower], "not enough collateral");
        require(stable.transferFrom(msg.sender, address(this), repayAmount), "transferFrom failed");
        (bool ok, ) = msg.sender.call{value: seized}("");
        require(ok, "send failed");
        collateralOf[borrower] -= seized;
        debtOf[borrower] -= repayAmount;
    }
}
