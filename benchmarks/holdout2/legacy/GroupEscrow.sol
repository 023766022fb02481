pragma solidity ^0.5.0;

contract GroupEscrow {
    enum State { Funding, Delivered, Refunding, Closed }

    address payable public seller;
    address payable public arbiter;
    uint256 public goal;
    uint256 public deadline;
    uint256 public arbiterFee;
    bool public arbiterPaid;
    State public state;

    address payable[] public buyers;
    mapping(address => uint256) public deposits;
    uint256 public totalDeposited;

    event Deposited(address indexed buyer, uint256 amount);
    event StateChanged(State state);

    modifier onlyArbiter() {
        require(msg.sender == arbiter, "arbiter only");
        _;
    }

    modifier inState(State expected) {
        require(state == expected, "wrong state");
        _;
    }

    constructor(address payable _seller, address payable _arbiter, uint256 _goal, uint256 _duration, uint256 _fee) public {
        require(_seller != address(0) && _arbiter != address(0), "zero address");
        require(_fee <= _goal / 50, "fee too high");
        seller = _seller;
        arbiter = _arbiter;
        goal = _goal;
        deadline = block.timestamp + _duration;
        arbiterFee = _fee;
    }

    function deposit() external payable inState(State.Funding) {
        require(block.timestamp < deadline, "closed");
        require(msg.value > 0, "nothing sent");
        if (deposits[msg.sender] == 0) {
            buyers.push(msg.sender);
        }
        deposits[msg.sender] += msg.value;
        totalDeposited += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    function confirmDelivery() external onlyArbiter inState(State.Funding) {
        require(totalDeposited >= goal, "goal not met");
        state = State.Delivered;
        emit StateChanged(state);
    }

    function payArbiter() external onlyArbiter inState(State.Delivered) {
        require(!arbiterPaid, "paid");
        arbiterPaid = true;
        arbiter.call.value(arbiterFee)("");
    }

    function releaseToSeller() external inState(State.Delivered) {
        require(arbiterPaid, "pay arbiter first");
        state = State.Closed;
        emit StateChanged(state);
        (bool ok, ) = seller.call.value(address(this).balance)("");
        require(ok, "payout failed");
    }

    function startRefund() external inState(State.Funding) {
        require((block.timestamp >= deadline && totalDeposited < goal) || msg.sender == arbiter, "not refundable");
        state = State.Refunding;
        emit StateChanged(state);
    }

    // Returns every buyer's money in one transaction once the deal failed.
    function refundAll() external inState(State.Refunding) {
        for (uint256 i = 0; i < buyers.length; i++) {
            address payable buyer = buyers[i];
            uint256 amount = deposits[buyer];
            deposits[buyer] = 0;
            buyer.transfer(amount);
        }
        state = State.Closed;
        emit StateChanged(state);
    }

    function buyerCount() external view returns (uint256) {
        return buyers.length;
    }
}
