pragma solidity ^0.4.24;

contract CommunityCrowdfund {
    address public owner;
    uint256 public goal;
    uint256 public deadline;
    bool public goalReached;
    bool public fundsClaimed;

    mapping(address => uint256) public pledged;
    uint256 public totalPledged;

    event Pledged(address indexed backer, uint256 amount);
    event Refunded(address indexed backer, uint256 amount);
    event GoalReached(uint256 total);

    function CommunityCrowfund(uint256 _goal, uint256 _duration) public {
        owner = msg.sender;
        goal = _goal;
        deadline = now + _duration;
    }

    function pledge() public payable {
        require(now < deadline);
        require(msg.value > 0);
        pledged[msg.sender] += msg.value;
        totalPledged += msg.value;
        emit Pledged(msg.sender, msg.value);
    }

    function checkGoal() public {
        require(now >= deadline);
        require(!goalReached);
        if (totalPledged >= goal) {
            goalReached = true;
            emit GoalReached(totalPledged);
        }
    }

    function claimFunds() public {
        require(msg.sender == owner);
        require(goalReached && !fundsClaimed);
        require(address(this).balance == totalPledged);
        fundsClaimed = true;
        owner.transfer(totalPledged);
    }

    function refund() public {
        require(now >= deadline);
        require(!goalReached);
        uint256 amount = pledged[msg.sender];
        require(amount > 0);
        pledged[msg.sender] = 0;
        totalPledged -= amount;
        msg.sender.transfer(amount);
        emit Refunded(msg.sender, amount);
    }

    function extendDeadline(uint256 extra) public {
        require(msg.sender == owner);
        require(now < deadline);
        require(extra <= 30 days);
        deadline += extra;
    }

    function backerShare(address backer) public view returns (uint256) {
        if (totalPledged == 0) {
            return 0;
        }
        return pledged[backer] * 10000 / totalPledged;
    }
}
