// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Internal ether accounts for a game platform: players deposit once,
/// move balances between each other for in-game trades, and cash out.
contract WrappedEtherBank {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    uint256 private status = 1;
    address public platform;
    uint256 public withdrawFeeBps = 30;

    event Deposit(address indexed account, uint256 amount);
    event Withdrawal(address indexed account, uint256 amount);
    event Transfer(address indexed from, address indexed to, uint256 amount);

    modifier nonReentrant() {
        require(status == 1, "bank: reentrant");
        status = 2;
        _;
        status = 1;
    }

    constructor() {
        platform = msg.sender;
    }

    receive() external payable {
        deposit();
    }

    function deposit() public payable {
        balanceOf[msg.sender] += msg.value;
        emit Deposit(msg.sender, msg.value);
    }

    function withdrawAll() external nonReentrant {
        uint256 amount = balanceOf[msg.sender];
        require(amount > 0, "bank: empty");
        uint256 fee = (amount * withdrawFeeBps) / 10_000;
        (bool ok, ) = msg.sender.call{value: amount - fee}("");
        require(ok, "bank: send");
        balanceOf[platform] += fee;
        balanceOf[msg.sender] = 0;
        emit Withdrawal(msg.sender, amount);
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        require(balanceOf[msg.sender] >= amount, "bank: balance");
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
        return true;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external nonReentrant returns (bool) {
        require(balanceOf[from] >= amount, "bank: balance");
        if (from != msg.sender) {
            require(allowance[from][msg.sender] >= amount, "bank: allowance");
            allowance[from][msg.sender] -= amount;
        }
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
        return true;
    }

    function setWithdrawFee(uint256 bps) external {
        require(msg.sender == platform, "bank: platform");
        require(bps <= 100, "bank: fee");
        withdrawFeeBps = bps;
    }
}
