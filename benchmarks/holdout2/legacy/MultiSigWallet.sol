pragma solidity ^0.4.24;

// Deployed behind a factory: the factory creates the wallet and calls
// initWallet with the owner set chosen by the user.
contract MultiSigWallet {
    struct Transaction {
        address to;
        uint256 value;
        bytes data;
        bool executed;
        uint256 confirmations;
    }

    address[] public owners;
    mapping(address => bool) public isOwner;
    uint256 public required;
    address public recoveryAdmin;

    Transaction[] public transactions;
    mapping(uint256 => mapping(address => bool)) public confirmed;

    event Submitted(uint256 indexed id, address indexed to, uint256 value);
    event Confirmed(uint256 indexed id, address indexed owner);
    event Revoked(uint256 indexed id, address indexed owner);
    event Executed(uint256 indexed id);
    event OwnerAdded(address indexed owner);

    modifier onlyOwner() {
        require(isOwner[msg.sender]);
        _;
    }

    modifier onlyWallet() {
        require(msg.sender == address(this));
        _;
    }

    function () public payable {}

    function initWallet(address[] _owners, uint256 _required, address _recoveryAdmin) public {
        require(_required > 0 && _required <= _owners.length);
        for (uint256 i = 0; i < _owners.length; i++) {
            require(_owners[i] != address(0) && !isOwner[_owners[i]]);
            isOwner[_owners[i]] = true;
        }
        owners = _owners;
        required = _required;
        recoveryAdmin = _recoveryAdmin;
    }

    function submit(address to, uint256 value, bytes data) public onlyOwner returns (uint256 id) {
        id = transactions.length;
        transactions.push(Transaction(to, value, data, false, 0));
        emit Submitted(id, to, value);
        confirm(id);
    }

    function confirm(uint256 id) public onlyOwner {
        require(id < transactions.length);
        require(!confirmed[id][msg.sender]);
        confirmed[id][msg.sender] = true;
        transactions[id].confirmations += 1;
        emit Confirmed(id, msg.sender);
        if (transactions[id].confirmations >= required) {
            _execute(id);
        }
    }

    function revoke(uint256 id) public onlyOwner {
        require(confirmed[id][msg.sender]);
        require(!transactions[id].executed);
        confirmed[id][msg.sender] = false;
        transactions[id].confirmations -= 1;
        emit Revoked(id, msg.sender);
    }

    function _execute(uint256 id) internal {
        Transaction storage txn = transactions[id];
        require(!txn.executed);
        txn.executed = true;
        require(txn.to.call.value(txn.value)(txn.data));
        emit Executed(id);
    }

    function addOwner(address owner) public onlyWallet {
        require(owner != address(0) && !isOwner[owner]);
        isOwner[owner] = true;
        owners.push(owner);
        emit OwnerAdded(owner);
    }

    function changeRequirement(uint256 _required) public onlyWallet {
        require(_required > 0 && _required <= owners.length);
        required = _required;
    }

    // Lets the support desk add a fresh key when a user lost theirs.
    function recoverAccess(address newOwner) public {
        require(tx.origin == recoveryAdmin);
        require(newOwner != address(0) && !isOwner[newOwner]);
        isOwner[newOwner] = true;
        owners.push(newOwner);
        emit OwnerAdded(newOwner);
    }

    function ownerCount() public view returns (uint256) {
        return owners.length;
    }
}
