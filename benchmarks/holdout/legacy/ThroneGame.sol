pragma solidity ^0.4.21;

/// Pay more than the current monarch to take the throne; the previous
/// monarch gets the new claim price minus the house commission.
contract ThroneGame {
    address public master;
    address public monarch;
    uint public claimPrice = 0.05 ether;
    uint public commissionPercent = 5;
    uint public reignStarted;
    uint public collectedCommission;

    struct Reign {
        address monarch;
        uint price;
        uint started;
    }
    Reign[] public history;

    event NewMonarch(address indexed monarch, uint price);

    function ThroneGames() public {
        master = msg.sender;
        monarch = msg.sender;
        reignStarted = now;
    }

    function() public payable {
        claimThrone();
    }

    function claimThrone() public payable {
        require(msg.value >= claimPrice);
        uint commission = msg.value * commissionPercent / 100;
        uint compensation = msg.value - commission;
        collectedCommission += commission;
        monarch.transfer(compensation);
        history.push(Reign(monarch, claimPrice, reignStarted));
        monarch = msg.sender;
        reignStarted = now;
        claimPrice = msg.value * 3 / 2;
        emit NewMonarch(msg.sender, msg.value);
    }

    function collectCommission() public {
        require(msg.sender == master);
        uint amount = collectedCommission;
        collectedCommission = 0;
        master.transfer(amount);
    }

    function reigns() public view returns (uint) {
        return history.length;
    }
}
