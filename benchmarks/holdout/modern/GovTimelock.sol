// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

/// Timelock owned by a governor: calls are queued, wait out the delay,
/// then anyone may execute them within the grace period.
contract GovTimelock {
    uint256 public constant GRACE_PERIOD = 14 days;
    uint256 public constant MINIMUM_DELAY = 2 days;
    uint256 public constant MAXIMUM_DELAY = 30 days;

    address public admin;
    address public pendingAdmin;
    uint256 public delay;
    mapping(bytes32 => bool) public queued;

    event QueueTransaction(bytes32 indexed txHash, address indexed target, uint256 value, bytes data, uint256 eta);
    event ExecuteTransaction(bytes32 indexed txHash, address indexed target, uint256 value, bytes data, uint256 eta);
    event CancelTransaction(bytes32 indexed txHash);
    event NewDelay(uint256 delay);

    constructor(address admin_, uint256 delay_) {
        require(delay_ >= MINIMUM_DELAY && delay_ <= MAXIMUM_DELAY, "timelock: delay");
        admin = admin_;
        delay = delay_;
    }

    receive() external payable {}

    function setDelay(uint256 delay_) public {
        require(delay_ <= MAXIMUM_DELAY, "timelock: delay too long");
        delay = delay_;
        emit NewDelay(delay_);
    }

    function setPendingAdmin(address pendingAdmin_) external {
        require(msg.sender == address(this), "timelock: only self");
        pendingAdmin = pendingAdmin_;
    }

    function acceptAdmin() external {
        require(msg.sender == pendingAdmin, "timelock: not pending");
        admin = msg.sender;
        pendingAdmin = address(0);
    }

    function queueTransaction(address target, uint256 value, bytes calldata data, uint256 eta) external returns (bytes32) {
        require(msg.sender == admin, "timelock: not admin");
        require(eta >= block.timestamp + delay, "timelock: eta too early");
        bytes32 txHash = keccak256(abi.encode(target, value, data, eta));
        queued[txHash] = true;
        emit QueueTransaction(txHash, target, value, data, eta);
        return txHash;
    }

    function cancelTransaction(address target, uint256 value, bytes calldata data, uint256 eta) external {
        require(msg.sender == admin, "timelock: not admin");
        bytes32 txHash = keccak256(abi.encode(target, value, data, eta));
        queued[txHash] = false;
        emit CancelTransaction(txHash);
    }

    function executeTransaction(address target, uint256 value, bytes calldata data, uint256 eta)
        external
        payable
        returns (bytes memory)
    {
        bytes32 txHash = keccak256(abi.encode(target, value, data, eta));
        require(queued[txHash], "timelock: not queued");
        require(block.timestamp >= eta, "timelock: not ready");
        require(block.timestamp <= eta + GRACE_PERIOD, "timelock: stale");
        queued[txHash] = false;
        (bool success, bytes memory result) = target.call{value: value}(data);
        emit ExecuteTransaction(txHash, target, value, data, eta);
        return result;
    }
}
