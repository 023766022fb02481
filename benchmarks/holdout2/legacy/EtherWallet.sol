pragma solidity ^0.4.24;

contract Owned {
    address public owner;

    modifier onlyOwner() {
        require(msg.sender == owner);
        _;
    }

    constructor() public {
        owner = msg.sender;
    }

    function transferOwnership(address newOwner) public onlyOwner {
        require(newOwner != address(0));
        owner = newOwner;
    }
}

contract SharedWallet is Owned {
    mapping(address => uint256) public balances;
    mapping(address => uint256) public dailyLimit;
    mapping(address => uint256) public spentToday;
    mapping(address => uint256) public lastDay;

    uint256 public feeBps = 25;
    address public feeCollector;
    uint256 public collectedFees;

    event Deposit(address indexed who, uint256 amount, uint256 fee);
    event Withdrawal(address indexed who, address indexed to, uint256 amount);

    constructor(address _feeCollector) public {
        require(_feeCollector != address(0));
        feeCollector = _feeCollector;
    }

    function () public payable {
        deposit();
    }

    function deposit() public payable {
        require(msg.value > 0);
        uint256 fee = msg.value * feeBps / 10000;
        collectedFees += fee;
        balances[msg.sender] += msg.value - fee;
        emit Deposit(msg.sender, msg.value, fee);
    }

    function setDailyLimit(uint256 limit) public {
        dailyLimit[msg.sender] = limit;
    }

    function _consumeLimit(address who, uint256 amount) internal returns (bool) {
        uint256 today = now / 1 days;
        if (lastDay[who] != today) {
            lastDay[who] = today;
            spentToday[who] = 0;
        }
        if (dailyLimit[who] != 0 && spentToday[who] + amount > dailyLimit[who]) {
            return false;
        }
        spentToday[who] += amount;
        return true;
    }

    // Pays the caller with all forwarded gas so smart-contract wallets work.
    function withdraw(uint256 amount) public {
        require(balances[msg.sender] >= amount);
        require(_consumeLimit(msg.sender, amount));
        require(msg.sender.call.value(amount)());
        balances[msg.sender] -= amount;
        emit Withdrawal(msg.sender, msg.sender, amount);
    }

    function withdrawTo(address to, uint256 amount) public {
        require(to != address(0));
        require(balances[msg.sender] >= amount);
        require(_consumeLimit(msg.sender, amount));
        balances[msg.sender] -= amount;
        to.transfer(amount);
        emit Withdrawal(msg.sender, to, amount);
    }

    function setFee(uint256 newFeeBps) public onlyOwner {
        require(newFeeBps <= 100);
        feeBps = newFeeBps;
    }

    function sweepFees() public onlyOwner {
        uint256 amount = collectedFees;
        collectedFees = 0;
        feeCollector.send(amount);
    }

    function refund(address who) public onlyOwner {
        uint256 amount = balances[who];
        balances[who] = 0;
        if (!who.send(amount)) {
            balances[who] = amount;
        }
    }
}
