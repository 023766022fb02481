// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

abstract contract Initializable {
    uint8 private _initialized;
    bool private _initializing;

    modifier initializer() {
        require(!_initializing && _initialized < 1, "already initialized");
        _initialized = 1;
        _initializing = true;
        _;
        _initializing = false;
    }

    function _disableInitializers() internal {
        require(!_initializing, "initializing");
        _initialized = type(uint8).max;
    }
}

abstract contract UUPSUpgradeable {
    // keccak256("eip1967.proxy.implementation") - 1
    bytes32 internal constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    address private immutable self = address(this);

    event Upgraded(address indexed implementation);

    modifier onlyProxy() {
        require(address(this) != self, "must be called through proxy");
        _;
    }

    function proxiableUUID() external pure returns (bytes32) {
        return IMPLEMENTATION_SLOT;
    }

    function upgradeToAndCall(address newImplementation, bytes calldata data) external payable onlyProxy {
        _authorizeUpgrade(newImplementation);
        require(newImplementation.code.length > 0, "not a contract");
        assembly {
            sstore(IMPLEMENTATION_SLOT, newImplementation)
        }
        emit Upgraded(newImplementation);
        if (data.length > 0) {
            (bool ok, ) = newImplementation.delegatecall(data);
            require(ok, "upgrade call failed");
        }
    }

    function _authorizeUpgrade(address newImplementation) internal virtual;
}

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
}

/// Protocol treasury behind an ERC1967 proxy.
contract UUPSTreasury is Initializable, UUPSUpgradeable {
    address public owner;
    mapping(address => bool) public spenders;
    mapping(address => uint256) public monthlyAllowance;
    mapping(address => uint256) public spentThisMonth;
    mapping(address => uint256) public monthOf;

    event SpenderSet(address indexed spender, uint256 allowance);
    event Paid(address indexed token, address indexed to, uint256 amount);

    modifier onlyOwner() {
        require(msg.sender == owner, "owner only");
        _;
    }

    constructor() {}

    function initialize(address _owner) external initializer {
        require(_owner != address(0), "zero owner");
        owner = _owner;
    }

    function setSpender(address spender, uint256 allowance) external onlyOwner {
        spenders[spender] = allowance > 0;
        monthlyAllowance[spender] = allowance;
        emit SpenderSet(spender, allowance);
    }

    function pay(IERC20 token, address to, uint256 amount) external {
        require(spenders[msg.sender] || msg.sender == owner, "not a spender");
        if (msg.sender != owner) {
            uint256 month = block.timestamp / 30 days;
            if (monthOf[msg.sender] != month) {
                monthOf[msg.sender] = month;
                spentThisMonth[msg.sender] = 0;
            }
            spentThisMonth[msg.sender] += amount;
            require(spentThisMonth[msg.sender] <= monthlyAllowance[msg.sender], "over allowance");
        }
        require(token.transfer(to, amount), "transfer failed");
        emit Paid(address(token), to, amount);
    }

    /// Batches several owner calls; runs them against this contract only.
    function multicall(bytes[] calldata calls) external returns (bytes[] memory results) {
        results = new bytes[](calls.length);
        for (uint256 i = 0; i < calls.length; i++) {
            (bool ok, bytes memory ret) = address(this).delegatecall(calls[i]);
            require(ok, "call failed");
            results[i] = ret;
        }
    }

    function transferOwnership(address next) external onlyOwner {
        require(next != address(0), "zero owner");
        owner = next;
    }

    function _authorizeUpgrade(address) internal override {}
}
