pragma solidity ^0.7.6;

/// Guild membership token: transferable, mintable by the guild master,
/// burnt when members leave.
contract GuildToken {
    string public constant name = "Guild";
    string public constant symbol = "GLD";
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    address public master;

    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor() {
        master = msg.sender;
    }

    function transfer(address to, uint256 value) external {
        require(balanceOf[msg.sender] >= value, "guild: balance");
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        require(balanceOf[from] >= value, "guild: balance");
        require(allowance[from][msg.sender] >= value, "guild: allowance");
        allowance[from][msg.sender] -= value;
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function mint(address to, uint256 value) external {
        require(msg.sender == master, "guild: master");
        totalSupply += value;
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }

    function burn(uint256 value) external {
        require(balanceOf[msg.sender] >= value, "guild: balance");
        balanceOf[msg.sender] -= value;
        totalSupply -= value;
        emit Transfer(msg.sender, address(0), value);
    }

    function burnFrom(address account, uint256 value) external {
        require(balanceOf[account] >= value, "guild: balance");
        balanceOf[account] -= value;
        totalSupply -= value;
        emit Transfer(account, address(0), value);
    }
}
