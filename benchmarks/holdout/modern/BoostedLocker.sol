// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

interface IPriceOracle {
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}

/// Vote-escrow style locker: longer locks earn a larger boost on emissions.
/// Locks are packed into one slot per user.
contract BoostedLocker {
    struct Lock {
        uint128 amount;
        uint32 unlockAt;
        uint32 boostBps;
        uint64 lastClaim;
    }

    IERC20 public immutable token;
    IPriceOracle public immutable usdOracle;
    uint256 public constant MIN_LOCK = 7 days;
    uint256 public constant MAX_LOCK = 4 * 365 days;
    uint256 public constant MAX_BOOST_BPS = 25_000;
    uint256 public constant STALE_AFTER = 1 hours;
    uint256 public totalBoosted;
    mapping(address => Lock) public locks;

    constructor(IERC20 token_, IPriceOracle oracle_) {
        token = token_;
        usdOracle = oracle_;
    }

    function lock(uint256 amount, uint256 duration) external {
        require(locks[msg.sender].amount == 0, "locker: existing lock");
        require(amount > 0 && amount <= type(uint128).max, "locker: amount");
        require(duration >= MIN_LOCK, "locker: too short");
        uint256 effective = duration > MAX_LOCK ? MAX_LOCK : duration;
        uint256 boost = 10_000 + ((MAX_BOOST_BPS - 10_000) * effective) / MAX_LOCK;
        require(token.transferFrom(msg.sender, address(this), amount), "locker: transferFrom");
        locks[msg.sender] = Lock({
            amount: uint128(amount),
            unlockAt: uint32(block.timestamp + duration),
            boostBps: uint32(boost),
            lastClaim: uint64(block.timestamp)
        });
        totalBoosted += (amount * boost) / 10_000;
    }

    function unlock() external {
        Lock memory l = locks[msg.sender];
        require(l.amount > 0, "locker: no lock");
        require(block.timestamp >= l.unlockAt, "locker: locked");
        totalBoosted -= (uint256(l.amount) * l.boostBps) / 10_000;
        delete locks[msg.sender];
        require(token.transfer(msg.sender, l.amount), "locker: transfer");
    }

    /// USD value of a user's locked position, for the dashboard and the
    /// governance weight cap.
    function lockedValueUsd(address user) external view returns (uint256) {
        (uint80 roundId, int256 answer, , uint256 updatedAt, uint80 answeredInRound) = usdOracle.latestRoundData();
        require(answer > 0, "locker: bad price");
        require(block.timestamp - updatedAt <= STALE_AFTER, "locker: stale price");
        require(answeredInRound >= roundId, "locker: stale round");
        return (uint256(locks[user].amount) * uint256(answer)) / 1e8;
    }
}
