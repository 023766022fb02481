// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Shares protocol revenue between registered node operators. Operators
/// register by posting a bond; revenue is pushed out once per epoch.
contract RevenueShare {
    uint256 public constant BOND = 1 ether;
    uint256 public constant EPOCH = 7 days;

    address public admin;
    address[] public operators;
    mapping(address => bool) public isOperator;
    mapping(address => uint256) public bondOf;
    uint256 public lastDistribution;
    uint256 public pendingRevenue;
    uint256 public totalBonds;

    event Registered(address indexed operator);
    event Distributed(uint256 amount, uint256 perOperator);

    constructor() {
        admin = msg.sender;
        lastDistribution = block.timestamp;
    }

    function register() external payable {
        require(msg.value == BOND, "share: bond");
        require(!isOperator[msg.sender], "share: registered");
        isOperator[msg.sender] = true;
        bondOf[msg.sender] = msg.value;
        totalBonds += msg.value;
        operators.push(msg.sender);
        emit Registered(msg.sender);
    }

    function depositRevenue() external payable {
        pendingRevenue += msg.value;
    }

    function distribute() external {
        require(block.timestamp >= lastDistribution + EPOCH, "share: epoch");
        require(address(this).balance == totalBonds + pendingRevenue, "share: unexpected balance");
        uint256 count = operators.length;
        require(count > 0, "share: no operators");
        uint256 perOperator = pendingRevenue / count;
        pendingRevenue -= perOperator * count;
        lastDistribution = block.timestamp;
        for (uint256 i = 0; i < count; i++) {
            (bool ok, ) = operators[i].call{value: perOperator}("");
            require(ok, "share: payment failed");
        }
        emit Distributed(perOperator * count, perOperator);
    }

    function setAdmin(address next) external {
        require(msg.sender == admin, "share: not admin");
        require(next != address(0), "share: zero");
        admin = next;
    }
}
