pragma solidity ^0.4.25;

/// Roll-under dice: pick a number, win more the lower it is.
contract EtherDice {
    address public croupier;
    uint public houseEdgePercent = 2;
    uint public minBet = 0.01 ether;
    uint public maxProfit = 5 ether;
    uint public lockedInBets;

    struct Bet {
        uint amount;
        uint8 rollUnder;
        uint placedBlock;
        address gambler;
    }

    mapping(uint => Bet) public bets;
    uint public nextBetId;

    event BetPlaced(uint indexed id, address indexed gambler, uint amount, uint8 rollUnder);
    event BetSettled(uint indexed id, uint roll, uint payout);

    constructor() public {
        croupier = msg.sender;
    }

    function() public payable {}

    function placeBet(uint8 rollUnder) public payable {
        require(msg.value >= minBet);
        require(rollUnder > 1 && rollUnder <= 96);
        uint possibleWin = msg.value * (100 - houseEdgePercent) / rollUnder;
        require(possibleWin - msg.value <= maxProfit);
        lockedInBets += possibleWin;
        require(lockedInBets <= address(this).balance);
        bets[nextBetId] = Bet(msg.value, rollUnder, block.number, msg.sender);
        emit BetPlaced(nextBetId, msg.sender, msg.value, rollUnder);
        nextBetId++;
    }

    function settleBet(uint id) public {
        Bet storage bet = bets[id];
        require(bet.amount > 0);
        require(block.number > bet.placedBlock);
        uint roll = uint(keccak256(abi.encodePacked(blockhash(bet.placedBlock), now, id))) % 100 + 1;
        uint possibleWin = bet.amount * (100 - houseEdgePercent) / bet.rollUnder;
        lockedInBets -= possibleWin;
        uint payout = 0;
        if (roll < bet.rollUnder) {
            payout = possibleWin;
            bet.gambler.send(payout);
        }
        bet.amount = 0;
        emit BetSettled(id, roll, payout);
    }

    function withdrawProfit(address to, uint amount) public {
        require(msg.sender == croupier);
        require(amount + lockedInBets <= address(this).balance);
        to.transfer(amount);
    }
}
