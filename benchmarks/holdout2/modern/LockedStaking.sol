// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function balanceOf(address who) external view returns (uint256);
}

library SafeCast {
    function toUint128(uint256 x) internal pure returns (uint128) {
        require(x <= type(uint128).max, "SafeCast: uint128");
        return uint128(x);
    }
}

/// Synthetix-style staking where longer locks earn a boosted weight.
contract LockedStaking {
    using SafeCast for uint256;

    struct Position {
        uint128 amount;
        uint128 weight;
        uint64 lockedUntil;
    }

    IERC20 public immutable stakingToken;
    IERC20 public immutable rewardsToken;
    address public owner;
    address public rewardsDistributor;

    uint256 public constant MAX_BOOST_BPS = 5_000;
    uint256 public rewardsDuration = 7 days;
    uint256 public periodFinish;
    uint256 public rewardRate;
    uint256 public lastUpdateTime;
    uint256 public rewardPerWeightStored;
    uint256 public totalWeight;

    mapping(address => Position) public positions;
    mapping(address => uint256) public userRewardPerWeightPaid;
    mapping(address => uint256) public rewards;

    modifier onlyOwner() {
        require(msg.sender == owner, "owner only");
        _;
    }

    modifier onlyDistributor() {
        require(msg.sender == rewardsDistributor, "distributor only");
        _;
    }

    modifier updateReward(address account) {
        rewardPerWeightStored = rewardPerWeight();
        lastUpdateTime = lastTimeRewardApplicable();
        if (account != address(0)) {
            rewards[account] = earned(account);
            userRewardPerWeightPaid[account] = rewardPerWeightStored;
        }
        _;
    }

    constructor(IERC20 _staking, IERC20 _rewards, address _distributor) {
        stakingToken = _staking;
        rewardsToken = _rewards;
        owner = msg.sender;
        rewardsDistributor = _distributor;
    }

    function lastTimeRewardApplicable() public view returns (uint256) {
        return block.timestamp < periodFinish ? block.timestamp : periodFinish;
    }

    function rewardPerWeight() public view returns (uint256) {
        if (totalWeight == 0) return rewardPerWeightStored;
        return rewardPerWeightStored + ((lastTimeRewardApplicable() - lastUpdateTime) * rewardRate * 1e18) / totalWeight;
    }

    function earned(address account) public view returns (uint256) {
        Position memory p = positions[account];
        return (uint256(p.weight) * (rewardPerWeight() - userRewardPerWeightPaid[account])) / 1e18 + rewards[account];
    }

    function stake(uint256 amount, uint256 lockWeeks) external updateReward(msg.sender) {
        require(amount > 0, "zero amount");
        require(lockWeeks <= 104, "lock too long");
        Position storage p = positions[msg.sender];
        require(p.amount == 0, "position exists");

        uint256 boostBps = (lockWeeks / 52) * MAX_BOOST_BPS;
        uint256 weight = (amount * (10_000 + boostBps)) / 10_000;

        p.amount = amount.toUint128();
        p.weight = uint128(weight);
        p.lockedUntil = uint64(block.timestamp + lockWeeks * 1 weeks);
        totalWeight += weight;
        require(stakingToken.transferFrom(msg.sender, address(this), amount), "transferFrom failed");
    }

    function withdraw() external updateReward(msg.sender) {
        Position memory p = positions[msg.sender];
        require(p.amount > 0, "no position");
        require(block.timestamp >= p.lockedUntil, "locked");
        totalWeight -= p.weight;
        delete positions[msg.sender];
        require(stakingToken.transfer(msg.sender, p.amount), "transfer failed");
    }

    function getReward() external updateReward(msg.sender) {
        uint256 reward = rewards[msg.sender];
        if (reward > 0) {
            rewards[msg.sender] = 0;
            require(rewardsToken.transfer(msg.sender, reward), "transfer failed");
        }
    }

    function notifyRewardAmount(uint256 reward) external updateReward(address(0)) {
        if (block.timestamp >= periodFinish) {
            rewardRate = reward / rewardsDuration;
        } else {
            uint256 leftover = (periodFinish - block.timestamp) * rewardRate;
            rewardRate = (reward + leftover) / rewardsDuration;
        }
        require(rewardRate * rewardsDuration <= rewardsToken.balanceOf(address(this)), "reward too high");
        lastUpdateTime = block.timestamp;
        periodFinish = block.timestamp + rewardsDuration;
    }

    function setRewardsDuration(uint256 duration) external onlyOwner {
        require(block.timestamp > periodFinish, "period active");
        require(duration > 0, "zero duration");
        rewardsDuration = duration;
    }

    function setDistributor(address distributor) external onlyOwner {
        rewardsDistributor = distributor;
    }
}
