// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20Permit {
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
}

/// Savings account for a permit-enabled stablecoin: deposits can be made
/// gaslessly with an EIP-2612 signature.
contract PermitDepositor {
    IERC20Permit public immutable token;
    mapping(address => uint256) public deposits;

    event Deposited(address indexed from, address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);

    constructor(IERC20Permit token_) {
        token = token_;
    }

    function deposit(uint256 amount) external {
        require(token.transferFrom(msg.sender, address(this), amount), "savings: transferFrom");
        deposits[msg.sender] += amount;
        emit Deposited(msg.sender, msg.sender, amount);
    }

    /// Deposit for `holder`, who signed the permit.
    function depositWithPermit(address holder, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external {
        token.permit(holder, address(this), amount, deadline, v, r, s);
        require(token.transferFrom(holder, address(this), amount), "savings: transferFrom");
        deposits[holder] += amount;
        emit Deposited(holder, holder, amount);
    }

    /// Top up another account's savings from a permit signed by `holder`.
    function depositForWithPermit(
        address holder,
        address account,
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        try token.permit(holder, address(this), amount, deadline, v, r, s) {} catch {}
        require(token.transferFrom(holder, address(this), amount), "savings: transferFrom");
        deposits[account] += amount;
        emit Deposited(holder, account, amount);
    }

    function withdraw(uint256 amount) external {
        deposits[msg.sender] -= amount;
        require(token.transfer(msg.sender, amount), "savings: transfer");
        emit Withdrawn(msg.sender, amount);
    }
}
