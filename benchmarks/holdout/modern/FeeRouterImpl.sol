// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
}

/// Logic contract behind a transparent proxy: splits protocol fees
/// between the treasury and the stakers' reward pool.
contract FeeRouterImpl {
    address public owner;
    address public treasury;
    address public rewardPool;
    uint256 public treasuryShareBps;
    bool public paused;
    uint256 public version;

    event FeesRouted(address indexed token, uint256 toTreasury, uint256 toPool);
    event Paused(bool paused);

    modifier onlyOwner() {
        require(msg.sender == owner, "router: not owner");
        _;
    }

    function initialize(address owner_, address treasury_, address rewardPool_, uint256 shareBps) external {
        require(shareBps <= 10_000, "router: share");
        owner = owner_;
        treasury = treasury_;
        rewardPool = rewardPool_;
        treasuryShareBps = shareBps;
        version = 2;
    }

    function route(IERC20 token) external {
        require(!paused, "router: paused");
        uint256 balance = token.balanceOf(address(this));
        uint256 toTreasury = (balance * treasuryShareBps) / 10_000;
        uint256 toPool = balance - toTreasury;
        require(token.transfer(treasury, toTreasury), "router: treasury");
        require(token.transfer(rewardPool, toPool), "router: pool");
        emit FeesRouted(address(token), toTreasury, toPool);
    }

    function setTreasuryShare(uint256 shareBps) external onlyOwner {
        require(shareBps <= 10_000, "router: share");
        treasuryShareBps = shareBps;
    }

    function setRewardPool(address pool) external onlyOwner {
        rewardPool = pool;
    }

    function setPaused(bool value) external {
        paused = value;
        emit Paused(value);
    }
}
