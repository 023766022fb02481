pragma solidity ^0.4.23;

/// m-of-n wallet of the founding team.
contract TeamMultisig {
    struct Transaction {
        address destination;
        uint value;
        bytes data;
        bool executed;
        uint confirmations;
    }

    address[] public owners;
    mapping(address => bool) public isOwner;
    uint public required;
    Transaction[] public transactions;
    mapping(uint => mapping(address => bool)) public confirmed;

    event Submission(uint indexed transactionId);
    event Confirmation(address indexed sender, uint indexed transactionId);
    event Execution(uint indexed transactionId);
    event ExecutionFailure(uint indexed transactionId);
    event RequirementChange(uint required);

    modifier onlyOwner() {
        require(isOwner[msg.sender]);
        _;
    }

    modifier onlyWallet() {
        require(msg.sender == address(this));
        _;
    }

    constructor(address[] _owners, uint _required) public {
        require(_required > 0 && _required <= _owners.length);
        for (uint i = 0; i < _owners.length; i++) {
            require(!isOwner[_owners[i]] && _owners[i] != 0);
            isOwner[_owners[i]] = true;
        }
        owners = _owners;
        required = _required;
    }

    function() public payable {}

    function addOwner(address owner) public onlyWallet {
        require(!isOwner[owner] && owner != 0);
        isOwner[owner] = true;
        owners.push(owner);
    }

    function changeRequirement(uint _required) public {
        require(_required > 0 && _required <= owners.length);
        required = _required;
        emit RequirementChange(_required);
    }

    function submitTransaction(address destination, uint value, bytes data) public onlyOwner returns (uint transactionId) {
        transactionId = transactions.length;
        transactions.push(Transaction(destination, value, data, false, 0));
        emit Submission(transactionId);
        confirmTransaction(transactionId);
    }

    function confirmTransaction(uint transactionId) public onlyOwner {
        require(transactionId < transactions.length);
        require(!confirmed[transactionId][msg.sender]);
        confirmed[transactionId][msg.sender] = true;
        transactions[transactionId].confirmations += 1;
        emit Confirmation(msg.sender, transactionId);
        executeTransaction(transactionId);
    }

    function executeTransaction(uint transactionId) public onlyOwner {
        Transaction storage txn = transactions[transactionId];
        if (txn.executed || txn.confirmations < required) {
            return;
        }
        if (txn.destination.call.value(txn.value)(txn.data)) {
            txn.executed = true;
            emit Execution(transactionId);
        } else {
            emit ExecutionFailure(transactionId);
        }
    }
}
