// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

abstract contract ERC20Base {
    string public name;
    string public symbol;
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    error InsufficientBalance();
    error InsufficientAllowance();

    constructor(string memory _name, string memory _symbol) {
        name = _name;
        symbol = _symbol;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        _spendAllowance(from, msg.sender, value);
        _transfer(from, to, value);
        return true;
    }

    function _spendAllowance(address owner, address spender, uint256 value) internal {
        uint256 current = allowance[owner][spender];
        if (current != type(uint256).max) {
            if (current < value) revert InsufficientAllowance();
            allowance[owner][spender] = current - value;
        }
    }

    function _transfer(address from, address to, uint256 value) internal virtual {
        if (balanceOf[from] < value) revert InsufficientBalance();
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }

    function _mint(address to, uint256 value) internal {
        totalSupply += value;
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }

    function _burn(address from, uint256 value) internal {
        if (balanceOf[from] < value) revert InsufficientBalance();
        balanceOf[from] -= value;
        totalSupply -= value;
        emit Transfer(from, address(0), value);
    }
}

interface IRewardHook {
    function onReward(address holder, uint256 amount) external;
}

/// Community token: holders opt into periodic reward drops.
contract CommunityToken is ERC20Base {
    address public owner;
    mapping(address => bool) public minters;
    address[] public rewardHolders;
    mapping(address => bool) public registered;
    IRewardHook public hook;

    modifier onlyOwner() {
        require(msg.sender == owner, "owner only");
        _;
    }

    constructor() ERC20Base("Community", "COMM") {
        owner = msg.sender;
    }

    function setMinter(address minter, bool allowed) external onlyOwner {
        minters[minter] = allowed;
    }

    function setHook(IRewardHook newHook) external onlyOwner {
        hook = newHook;
    }

    function mint(address to, uint256 value) external {
        require(minters[msg.sender], "minter only");
        _mint(to, value);
    }

    function burn(uint256 value) external {
        _burn(msg.sender, value);
    }

    /// Lets bridges and vaults burn tokens they were given.
    function burnFrom(address account, uint256 value) external {
        _burn(account, value);
    }

    function registerForRewards() external {
        require(!registered[msg.sender], "registered");
        registered[msg.sender] = true;
        rewardHolders.push(msg.sender);
    }

    /// Mints `perHolder` to every registered holder and notifies the hook.
    function dropRewards(uint256 perHolder) external onlyOwner {
        for (uint256 i = 0; i < rewardHolders.length; i++) {
            address holder = rewardHolders[i];
            _mint(holder, perHolder);
            if (address(hook) != address(0)) {
                hook.onReward(holder, perHolder);
            }
        }
    }
}
