pragma solidity 0.4.24;

contract NameRegistry {
    address public owner;
    uint256 public registrationFee;
    bool public open = true;

    struct Record {
        address holder;
        uint256 expires;
        bytes32 target;
    }

    mapping(bytes32 => Record) public records;
    mapping(address => bytes32[]) public namesOf;

    event Registered(bytes32 indexed name, address indexed holder, uint256 expires);
    event Renewed(bytes32 indexed name, uint256 expires);
    event Transferred(bytes32 indexed name, address indexed to);

    modifier onlyOwner() {
        require(msg.sender == owner);
        _;
    }

    constructor(uint256 fee) public {
        owner = msg.sender;
        registrationFee = fee;
    }

    function register(bytes32 name, bytes32 target) public payable {
        require(open);
        require(msg.value >= registrationFee);
        Record storage existing = records[name];
        require(existing.holder == address(0) || existing.expires < now);

        Record r;
        r.holder = msg.sender;
        r.expires = now + 365 days;
        r.target = target;
        records[name] = r;
        namesOf[msg.sender].push(name);
        emit Registered(name, msg.sender, r.expires);
    }

    function renew(bytes32 name) public payable {
        Record storage rec = records[name];
        require(rec.holder == msg.sender);
        require(msg.value >= registrationFee);
        rec.expires = (rec.expires > now ? rec.expires : now) + 365 days;
        emit Renewed(name, rec.expires);
    }

    function setTarget(bytes32 name, bytes32 target) public {
        Record storage rec = records[name];
        require(rec.holder == msg.sender && rec.expires >= now);
        rec.target = target;
    }

    function transferName(bytes32 name, address to) public {
        Record storage rec = records[name];
        require(rec.holder == msg.sender && rec.expires >= now);
        require(to != address(0));
        rec.holder = to;
        namesOf[to].push(name);
        emit Transferred(name, to);
    }

    function resolve(bytes32 name) public view returns (bytes32) {
        Record memory rec = records[name];
        if (rec.expires < now) {
            return bytes32(0);
        }
        return rec.target;
    }

    function setFee(uint256 fee) public onlyOwner {
        registrationFee = fee;
    }

    function setOpen(bool isOpen) public onlyOwner {
        open = isOpen;
    }

    function withdraw() public onlyOwner {
        owner.transfer(address(this).balance);
    }
}
