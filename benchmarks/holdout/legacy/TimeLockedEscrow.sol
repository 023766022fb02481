pragma solidity ^0.6.12;

/// Escrow for OTC deals: the buyer deposits, the seller can claim after
/// the lock unless the arbiter refunds first. Buyers can extend a lock.
contract TimeLockedEscrow {
    struct Deal {
        address payable buyer;
        address payable seller;
        uint256 amount;
        uint256 unlockTime;
        bool closed;
    }

    address public arbiter;
    uint256 public dealCount;
    mapping(uint256 => Deal) public deals;
    mapping(address => uint256) public refunds;

    event Opened(uint256 indexed id, address buyer, address seller, uint256 amount, uint256 unlockTime);
    event Released(uint256 indexed id);

    constructor(address _arbiter) public {
        arbiter = _arbiter;
    }

    function open(address payable seller, uint256 lockSeconds) external payable returns (uint256 id) {
        require(msg.value > 0 && seller != address(0), "escrow: args");
        require(lockSeconds >= 1 days, "escrow: lock too short");
        id = dealCount++;
        deals[id] = Deal(msg.sender, seller, msg.value, now + lockSeconds, false);
        emit Opened(id, msg.sender, seller, msg.value, now + lockSeconds);
    }

    function extend(uint256 id, uint256 extraSeconds) external {
        Deal storage d = deals[id];
        require(msg.sender == d.seller, "escrow: seller only");
        d.unlockTime += extraSeconds;
    }

    function release(uint256 id) external {
        Deal storage d = deals[id];
        require(msg.sender == d.seller && !d.closed, "escrow: not claimable");
        require(now >= d.unlockTime, "escrow: locked");
        d.closed = true;
        d.seller.transfer(d.amount);
        emit Released(id);
    }

    function refund(uint256 id) external {
        require(msg.sender == arbiter, "escrow: arbiter only");
        Deal storage d = deals[id];
        require(!d.closed, "escrow: closed");
        d.closed = true;
        refunds[d.buyer] += d.amount;
    }

    function withdrawRefund() external {
        uint256 amount = refunds[msg.sender];
        require(amount > 0, "escrow: nothing");
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "escrow: send failed");
        refunds[msg.sender] = 0;
    }
}
