// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function balanceOf(address who) external view returns (uint256);
}

/// Stake any whitelisted token; rewards are paid in a single reward token.
contract MultiTokenStakingPool {
    address public owner;
    IERC20 public immutable rewardToken;
    uint256 public rewardReserve;

    mapping(address => bool) public allowedToken;
    mapping(address => uint256) public totalStaked;
    mapping(address => mapping(address => uint256)) public stakedOf;
    mapping(address => uint256) public points;
    mapping(address => uint256) public lastAccrual;

    event Staked(address indexed user, address indexed token, uint256 amount);
    event Unstaked(address indexed user, address indexed token, uint256 amount);
    event RewardsAdded(uint256 amount);

    error NotOwner();
    error NotAllowed();

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    constructor(IERC20 _rewardToken) {
        owner = msg.sender;
        rewardToken = _rewardToken;
    }

    function allowToken(address token, bool allowed) external onlyOwner {
        allowedToken[token] = allowed;
    }

    function stake(address token, uint256 amount) external {
        if (!allowedToken[token]) revert NotAllowed();
        _accrue(msg.sender);
        require(IERC20(token).transferFrom(msg.sender, address(this), amount), "transferFrom failed");
        stakedOf[msg.sender][token] += amount;
        totalStaked[token] += amount;
        emit Staked(msg.sender, token, amount);
    }

    function unstake(address token, uint256 amount) external {
        _accrue(msg.sender);
        stakedOf[msg.sender][token] -= amount;
        totalStaked[token] -= amount;
        require(IERC20(token).transfer(msg.sender, amount), "transfer failed");
        emit Unstaked(msg.sender, token, amount);
    }

    /// Reward top-ups are measured by balance difference: the reward token takes a fee.
    function addRewards(uint256 amount) external {
        uint256 before = rewardToken.balanceOf(address(this));
        require(rewardToken.transferFrom(msg.sender, address(this), amount), "transferFrom failed");
        uint256 received = rewardToken.balanceOf(address(this)) - before;
        rewardReserve += received;
        emit RewardsAdded(received);
    }

    function _accrue(address user) internal {
        uint256 last = lastAccrual[user];
        lastAccrual[user] = block.timestamp;
        if (last == 0) return;
        points[user] += (block.timestamp - last) * _userWeight(user);
    }

    function _userWeight(address) internal pure returns (uint256) {
        return 1;
    }

    function claimRewards(uint256 amount) external {
        _accrue(msg.sender);
        require(points[msg.sender] >= amount * 1 days, "not enough points");
        points[msg.sender] -= amount * 1 days;
        rewardReserve -= amount;
        require(rewardToken.transfer(msg.sender, amount), "transfer failed");
    }

    /// Keepers call this before snapshots; it halts if accounting drifted.
    function checkSolvency(address token) external view returns (bool) {
        require(IERC20(token).balanceOf(address(this)) == totalStaked[token], "accounting drift");
        return true;
    }

    function migrateStake(address token, address to) external {
        require(this.checkSolvency(token), "insolvent");
        uint256 amount = stakedOf[msg.sender][token];
        stakedOf[msg.sender][token] = 0;
        stakedOf[to][token] += amount;
    }
}
