pragma solidity ^0.4.19;

/// First-come name registry with yearly fees; names can be sold.
contract NameRegistry {
    struct Record {
        address holder;
        uint expires;
        uint price;
        bytes32 target;
    }

    address public registrar;
    uint public yearlyFee = 0.1 ether;
    mapping(bytes32 => Record) public records;
    bytes32[] public allNames;

    event Registered(bytes32 indexed name, address indexed holder, uint expires);
    event Sold(bytes32 indexed name, address indexed from, address indexed to, uint price);

    function NameRegistry() public {
        registrar = msg.sender;
    }

    function register(bytes32 name, uint yearsPaid) public payable {
        Record storage existing = records[name];
        require(existing.holder == 0 || existing.expires < now);
        require(yearsPaid > 0 && msg.value == yearlyFee * yearsPaid);
        existing.holder = msg.sender;
        existing.expires = now + yearsPaid * 365 days;
        existing.price = 0;
        allNames.push(name);
        Registered(name, msg.sender, existing.expires);
    }

    function offer(bytes32 name, uint price) public {
        require(records[name].holder == msg.sender);
        records[name].price = price;
    }

    function buy(bytes32 name) public payable {
        Record memory offered = records[name];
        require(offered.price > 0 && msg.value == offered.price);
        Record tmp;
        tmp.holder = msg.sender;
        tmp.expires = offered.expires;
        tmp.target = offered.target;
        records[name] = tmp;
        offered.holder.transfer(msg.value);
        Sold(name, offered.holder, msg.sender, msg.value);
    }

    function setTarget(bytes32 name, bytes32 target) public {
        require(records[name].holder == msg.sender);
        records[name].target = target;
    }

    function setFee(uint fee) public {
        require(msg.sender == registrar);
        yearlyFee = fee;
    }

    function collectFees() public {
        require(msg.sender == registrar);
        registrar.transfer(this.balance);
    }
}
