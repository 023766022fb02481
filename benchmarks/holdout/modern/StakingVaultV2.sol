// SPDX-License-Identifier: MIT
pragma solidity ^0.8.22;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

abstract contract Initializable {
    uint8 private _initialized;
    bool private _initializing;

    modifier initializer() {
        require(!_initializing && _initialized < 1, "Initializable: already initialized");
        _initialized = 1;
        _initializing = true;
        _;
        _initializing = false;
    }

    function _disableInitializers() internal {
        _initialized = type(uint8).max;
    }
}

abstract contract UUPSUpgradeable {
    // keccak256("eip1967.proxy.implementation") - 1
    bytes32 internal constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    address private immutable self = address(this);

    modifier onlyProxy() {
        require(address(this) != self, "UUPS: must be called through delegatecall");
        _;
    }

    function upgradeToAndCall(address newImplementation, bytes memory data) external payable onlyProxy {
        _authorizeUpgrade(newImplementation);
        assembly {
            sstore(IMPLEMENTATION_SLOT, newImplementation)
        }
        if (data.length > 0) {
            (bool ok, ) = newImplementation.delegatecall(data);
            require(ok, "UUPS: init call failed");
        }
    }

    function _authorizeUpgrade(address newImplementation) internal virtual;
}

/// Second version of the staking vault, deployed behind an ERC1967 proxy.
contract StakingVaultV2 is Initializable, UUPSUpgradeable {
    IERC20 public token;
    address public owner;
    uint256 public lockPeriod;
    mapping(address => uint256) public staked;
    mapping(address => uint256) public unlockAt;

    event Staked(address indexed user, uint256 amount);
    event Unstaked(address indexed user, uint256 amount);

    modifier onlyOwner() {
        require(msg.sender == owner, "vault: not owner");
        _;
    }

    function initialize(IERC20 token_, address owner_, uint256 lockPeriod_) external initializer {
        token = token_;
        owner = owner_;
        lockPeriod = lockPeriod_;
    }

    function stake(uint256 amount) external {
        require(token.transferFrom(msg.sender, address(this), amount), "vault: transferFrom");
        staked[msg.sender] += amount;
        unlockAt[msg.sender] = block.timestamp + lockPeriod;
        emit Staked(msg.sender, amount);
    }

    function unstake(uint256 amount) external {
        require(block.timestamp >= unlockAt[msg.sender], "vault: locked");
        staked[msg.sender] -= amount;
        require(token.transfer(msg.sender, amount), "vault: transfer");
        emit Unstaked(msg.sender, amount);
    }

    function setLockPeriod(uint256 period) external onlyOwner {
        require(period <= 365 days, "vault: too long");
        lockPeriod = period;
    }

    function _authorizeUpgrade(address newImplementation) internal override {
        require(newImplementation.code.length > 0, "vault: not a contract");
    }
}
