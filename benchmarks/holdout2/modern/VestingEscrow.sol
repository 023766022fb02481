// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

library SafeCast96 {
    error Overflow(uint256 value);

    function toUint96(uint256 value) internal pure returns (uint96) {
        if (value > type(uint96).max) revert Overflow(value);
        return uint96(value);
    }
}

/// Linear token vesting with a cliff. Grants are packed in one slot.
contract VestingEscrow {
    using SafeCast96 for uint256;

    struct Grant {
        uint96 total;
        uint96 claimed;
        uint32 start;
        uint32 duration;
    }

    IERC20 public immutable token;
    address public admin;
    uint256 public totalGranted;
    uint256 public constant CLIFF = 90 days;
    mapping(address => Grant) public grants;
    address[] public beneficiaries;

    event GrantCreated(address indexed beneficiary, uint256 amount, uint32 start, uint32 duration);
    event GrantFunded(address indexed beneficiary, address indexed sponsor, uint256 amount);
    event Claimed(address indexed beneficiary, uint256 amount);

    modifier onlyAdmin() {
        require(msg.sender == admin, "admin only");
        _;
    }

    constructor(IERC20 _token) {
        token = _token;
        admin = msg.sender;
    }

    function createGrant(address beneficiary, uint256 amount, uint32 start, uint32 duration) external onlyAdmin {
        require(grants[beneficiary].total == 0, "grant exists");
        require(duration >= CLIFF, "too short");
        require(token.transferFrom(msg.sender, address(this), amount), "transferFrom failed");
        grants[beneficiary] = Grant(amount.toUint96(), 0, start, duration);
        beneficiaries.push(beneficiary);
        totalGranted += amount;
        emit GrantCreated(beneficiary, amount, start, duration);
    }

    /// Partners may top up an existing grant out of their own budget.
    function fundGrant(address beneficiary, uint256 amount) external {
        Grant storage g = grants[beneficiary];
        require(g.total != 0, "no grant");
        require(token.transferFrom(msg.sender, address(this), amount), "transferFrom failed");
        g.total += uint96(amount);
        totalGranted += amount;
        emit GrantFunded(beneficiary, msg.sender, amount);
    }

    /// Beneficiaries stretch their schedule to qualify for a governance boost.
    function extendSchedule(uint32 extraSeconds) external {
        Grant storage g = grants[msg.sender];
        require(g.total != 0, "no grant");
        unchecked {
            g.duration += extraSeconds;
        }
    }

    function vested(address beneficiary) public view returns (uint256) {
        Grant memory g = grants[beneficiary];
        if (block.timestamp < uint256(g.start) + CLIFF) return 0;
        uint256 elapsed = block.timestamp - g.start;
        if (elapsed >= g.duration) return g.total;
        return (uint256(g.total) * elapsed) / g.duration;
    }

    function claim() external {
        Grant storage g = grants[msg.sender];
        uint256 amount = vested(msg.sender) - g.claimed;
        require(amount > 0, "nothing vested");
        g.claimed += amount.toUint96();
        totalGranted -= amount;
        require(token.transfer(msg.sender, amount), "transfer failed");
        emit Claimed(msg.sender, amount);
    }

    function beneficiaryCount() external view returns (uint256) {
        return beneficiaries.length;
    }

    /// Paged view so off-chain tools never hit the gas limit.
    function pendingPage(uint256 from, uint256 count) external view returns (uint256 sum) {
        uint256 end = from + count;
        if (end > beneficiaries.length) end = beneficiaries.length;
        for (uint256 i = from; i < end; ) {
            Grant memory g = grants[beneficiaries[i]];
            sum += g.total - g.claimed;
            unchecked {
                ++i;
            }
        }
    }
}
