// SPDX-License-Identifier: MIT
pragma solidity ^0.7.6;

contract ReentrancyGuard {
    bool private locked;

    modifier nonReentrant() {
        require(!locked, "reentrant");
        locked = true;
        _;
        locked = false;
    }
}

contract TimeLockBank is ReentrancyGuard {
    mapping(address => uint256) public balances;
    mapping(address => uint256) public unlockAt;
    uint256 public constant MIN_LOCK = 1 weeks;
    uint256 public totalHeld;

    event Deposited(address indexed who, uint256 amount, uint256 unlockAt);
    event Moved(address indexed from, address indexed to, uint256 amount);
    event Withdrawn(address indexed who, uint256 amount);

    function deposit() external payable {
        require(msg.value > 0, "empty");
        balances[msg.sender] += msg.value;
        totalHeld += msg.value;
        uint256 earliest = block.timestamp + MIN_LOCK;
        if (unlockAt[msg.sender] < earliest) {
            unlockAt[msg.sender] = earliest;
        }
        emit Deposited(msg.sender, msg.value, unlockAt[msg.sender]);
    }

    // Longer locks earn a better rate in the companion rewards contract.
    function extendLock(uint256 extraSeconds) external {
        require(balances[msg.sender] > 0, "nothing locked");
        unlockAt[msg.sender] += extraSeconds;
    }

    // Moves locked funds to another account; the receiver inherits the later unlock time.
    function move(address to, uint256 amount) external {
        require(to != address(0), "zero");
        require(balances[msg.sender] >= amount, "balance");
        balances[msg.sender] -= amount;
        balances[to] += amount;
        if (unlockAt[to] < unlockAt[msg.sender]) {
            unlockAt[to] = unlockAt[msg.sender];
        }
        emit Moved(msg.sender, to, amount);
    }

    function withdrawAll() external nonReentrant {
        require(block.timestamp >= unlockAt[msg.sender], "locked");
        uint256 amount = balances[msg.sender];
        require(amount > 0, "empty");
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "send failed");
        balances[msg.sender] = 0;
        totalHeld -= amount;
        emit Withdrawn(msg.sender, amount);
    }

    function withdraw(uint256 amount) external nonReentrant {
        require(block.timestamp >= unlockAt[msg.sender], "locked");
        require(balances[msg.sender] >= amount, "balance");
        balances[msg.sender] -= amount;
        totalHeld -= amount;
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "send failed");
        emit Withdrawn(msg.sender, amount);
    }

    function timeLeft(address who) external view returns (uint256) {
        if (block.timestamp >= unlockAt[who]) {
            return 0;
        }
        return unlockAt[who] - block.timestamp;
    }
}
