// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Hand-rolled upgradeable proxy used by the rewards programme.
contract RewardsProxy {
    address public implementation;
    address public admin;

    constructor(address impl, bytes memory initData) {
        admin = msg.sender;
        implementation = impl;
        if (initData.length > 0) {
            (bool ok, ) = impl.delegatecall(initData);
            require(ok, "init failed");
        }
    }

    modifier ifAdmin() {
        if (msg.sender == admin) {
            _;
        } else {
            _delegate(implementation);
        }
    }

    function upgradeTo(address newImplementation) external ifAdmin {
        require(newImplementation.code.length > 0, "not a contract");
        implementation = newImplementation;
    }

    function changeAdmin(address newAdmin) external ifAdmin {
        require(newAdmin != address(0), "zero admin");
        admin = newAdmin;
    }

    function _delegate(address impl) internal {
        assembly {
            calldatacopy(0, 0, calldatasize())
            let result := delegatecall(gas(), impl, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch result
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }

    fallback() external payable {
        _delegate(implementation);
    }

    receive() external payable {
        _delegate(implementation);
    }
}

/// Logic contract deployed behind RewardsProxy.
contract RewardsLogicV1 {
    address public rewardToken;
    address public manager;
    bool public initialized;
    mapping(address => uint256) public points;
    uint256 public totalPoints;

    event Awarded(address indexed user, uint256 points);

    function initialize(address token, address _manager) external {
        require(!initialized, "initialized");
        initialized = true;
        rewardToken = token;
        manager = _manager;
    }

    function award(address user, uint256 amount) external {
        require(msg.sender == manager, "manager only");
        points[user] += amount;
        totalPoints += amount;
        emit Awarded(user, amount);
    }

    function setRewardToken(address token) external {
        require(msg.sender == manager, "manager only");
        rewardToken = token;
    }
}

/// Second proxy of the programme, keeping its admin data in EIP-1967 slots.
contract SlotProxy {
    bytes32 private constant IMPL_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    bytes32 private constant ADMIN_SLOT = 0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103;

    constructor(address impl) {
        assembly {
            sstore(IMPL_SLOT, impl)
            sstore(ADMIN_SLOT, caller())
        }
    }

    function upgradeTo(address newImplementation) external {
        address current;
        assembly {
            current := sload(ADMIN_SLOT)
        }
        require(msg.sender == current, "admin only");
        assembly {
            sstore(IMPL_SLOT, newImplementation)
        }
    }

    fallback() external payable {
        assembly {
            let impl := sload(IMPL_SLOT)
            calldatacopy(0, 0, calldatasize())
            let result := delegatecall(gas(), impl, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch result
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
}
