// SPDX-License-Identifier: MIT
pragma solidity ^0.8.17;

interface IUniswapV2Pair {
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
    function token0() external view returns (address);
}

interface IERC20 {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
}

/// Mints a synthetic dollar against GOV-token collateral. The collateral is
/// valued in USDC through the GOV/USDC pair.
contract SyntheticMinter {
    IUniswapV2Pair public immutable pair;
    IERC20 public immutable gov;
    address public immutable usdc;
    uint256 public constant COLLATERAL_RATIO = 150;

    mapping(address => uint256) public collateralOf;
    mapping(address => uint256) public mintedOf;
    mapping(address => uint256) public synthBalance;
    mapping(address => uint64) public lastAction;
    uint256 public totalMinted;

    constructor(IUniswapV2Pair pair_, IERC20 gov_, address usdc_) {
        pair = pair_;
        gov = gov_;
        usdc = usdc_;
    }

    /// USDC per GOV, 18 decimals.
    function govPrice() public view returns (uint256) {
        (uint112 r0, uint112 r1, ) = pair.getReserves();
        (uint256 govReserve, uint256 usdcReserve) = pair.token0() == usdc ? (uint256(r1), uint256(r0)) : (uint256(r0), uint256(r1));
        return (usdcReserve * 1e30) / govReserve;
    }

    function lock(uint256 amount) external {
        require(gov.transferFrom(msg.sender, address(this), amount), "minter: transferFrom");
        collateralOf[msg.sender] += amount;
        lastAction[msg.sender] = uint64(block.timestamp);
    }

    function mint(uint256 amount) external {
        uint256 value = (collateralOf[msg.sender] * govPrice()) / 1e18;
        require((mintedOf[msg.sender] + amount) * COLLATERAL_RATIO <= value * 100, "minter: ratio");
        mintedOf[msg.sender] += amount;
        synthBalance[msg.sender] += amount;
        totalMinted += amount;
    }

    function burn(uint256 amount) external {
        require(synthBalance[msg.sender] >= amount && mintedOf[msg.sender] >= amount, "minter: balance");
        unchecked {
            synthBalance[msg.sender] -= amount;
            mintedOf[msg.sender] -= amount;
            totalMinted -= amount;
        }
    }

    /// Moves synths between accounts; gas-optimised bookkeeping.
    function transferSynth(address to, uint256 amount) external {
        uint256 fromBalance = synthBalance[msg.sender];
        unchecked {
            synthBalance[msg.sender] = fromBalance - amount;
            synthBalance[to] += amount;
        }
    }

    function unlock(uint256 amount) external {
        require(block.timestamp >= lastAction[msg.sender] + 1 days, "minter: cooldown");
        uint256 value = ((collateralOf[msg.sender] - amount) * govPrice()) / 1e18;
        require(mintedOf[msg.sender] * COLLATERAL_RATIO <= value * 100, "minter: ratio");
        collateralOf[msg.sender] -= amount;
        require(gov.transfer(msg.sender, amount), "minter: transfer");
    }
}
