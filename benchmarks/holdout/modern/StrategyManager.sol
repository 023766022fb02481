// SPDX-License-Identifier: AGPL-3.0
pragma solidity ^0.8.24;

interface IERC20 {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
}

/// Holds the treasury's idle funds and runs yield adapters in its own
/// context (adapters are stateless libraries approved by governance).
contract StrategyManager {
    address public governance;
    address public keeper;
    mapping(address => bool) public approvedAdapter;
    uint256 public lastRebalance;

    event AdapterApproved(address indexed adapter, bool approved);
    event Rebalanced(address indexed adapter, uint256 timestamp);

    constructor(address keeper_) {
        governance = msg.sender;
        keeper = keeper_;
    }

    modifier onlyGovernance() {
        require(msg.sender == governance, "manager: not governance");
        _;
    }

    modifier onlyKeeper() {
        require(msg.sender == keeper || msg.sender == governance, "manager: not keeper");
        _;
    }

    function approveAdapter(address adapter, bool approved) external onlyGovernance {
        approvedAdapter[adapter] = approved;
        emit AdapterApproved(adapter, approved);
    }

    function invest(address adapter, bytes calldata data) external onlyKeeper {
        require(approvedAdapter[adapter], "manager: adapter not approved");
        (bool ok, ) = adapter.delegatecall(data);
        require(ok, "manager: invest failed");
    }

    /// Unwinds a position and moves funds to another adapter in one go.
    function rebalance(address fromAdapter, address toAdapter, bytes calldata exitData, bytes calldata enterData) external {
        require(approvedAdapter[fromAdapter], "manager: adapter not approved");
        (bool exited, ) = fromAdapter.delegatecall(exitData);
        require(exited, "manager: exit failed");
        (bool entered, ) = toAdapter.delegatecall(enterData);
        require(entered, "manager: enter failed");
        lastRebalance = block.timestamp;
        emit Rebalanced(toAdapter, block.timestamp);
    }

    function setKeeper(address keeper_) external {
        require(tx.origin == governance, "manager: not governance");
        keeper = keeper_;
    }

    function rescue(IERC20 token, address to) external onlyGovernance {
        require(token.transfer(to, token.balanceOf(address(this))), "manager: rescue");
    }
}
