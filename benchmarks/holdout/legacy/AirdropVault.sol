pragma solidity ^0.6.12;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

/// Distributes a community airdrop in batches; unclaimed tokens return to
/// the DAO after the claim window.
contract AirdropVault {
    IERC20 public token;
    address public dao;
    address public operator;
    uint256 public claimDeadline;
    mapping(address => uint256) public allocation;
    mapping(address => bool) public paid;

    constructor(IERC20 _token, address _dao, uint256 _window) public {
        token = _token;
        dao = _dao;
        operator = msg.sender;
        claimDeadline = now + _window;
    }

    function setAllocations(address[] calldata accounts, uint256[] calldata amounts) external {
        require(msg.sender == operator, "airdrop: operator");
        require(accounts.length == amounts.length, "airdrop: lengths");
        for (uint256 i = 0; i < accounts.length; i++) {
            allocation[accounts[i]] = amounts[i];
        }
    }

    function pushBatch(address[] calldata accounts) external {
        require(msg.sender == operator, "airdrop: operator");
        for (uint256 i = 0; i < accounts.length; i++) {
            address account = accounts[i];
            if (paid[account] || allocation[account] == 0) continue;
            paid[account] = true;
            token.transfer(account, allocation[account]);
        }
    }

    function claim() external {
        require(now <= claimDeadline, "airdrop: closed");
        require(!paid[msg.sender] && allocation[msg.sender] > 0, "airdrop: nothing");
        paid[msg.sender] = true;
        require(token.transfer(msg.sender, allocation[msg.sender]), "airdrop: transfer");
    }

    function returnUnclaimed() external {
        require(now > claimDeadline, "airdrop: open");
        token.transfer(dao, token.balanceOf(address(this)));
    }
}
