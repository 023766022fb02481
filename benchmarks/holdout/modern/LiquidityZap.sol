// SPDX-License-Identifier: GPL-3.0
pragma solidity ^0.8.20;

interface IERC20 {
    function approve(address spender, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

interface IRouter {
    function swapExactTokensForTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external returns (uint256[] memory amounts);

    function addLiquidity(
        address tokenA,
        address tokenB,
        uint256 amountADesired,
        uint256 amountBDesired,
        uint256 amountAMin,
        uint256 amountBMin,
        address to,
        uint256 deadline
    ) external returns (uint256 amountA, uint256 amountB, uint256 liquidity);
}

/// One-token entry into a two-token pool: half of the input is swapped,
/// both halves are added as liquidity for the beneficiary.
contract LiquidityZap {
    IRouter public immutable router;
    address public owner;

    event Zapped(address indexed payer, address indexed beneficiary, uint256 liquidity);

    constructor(IRouter router_) {
        router = router_;
        owner = msg.sender;
    }

    function zapIn(
        address payer,
        IERC20 tokenIn,
        IERC20 tokenOut,
        uint256 amountIn,
        address beneficiary
    ) external returns (uint256 liquidity) {
        require(tokenIn.transferFrom(payer, address(this), amountIn), "zap: pull");
        uint256 half = amountIn / 2;

        address[] memory path = new address[](2);
        path[0] = address(tokenIn);
        path[1] = address(tokenOut);
        tokenIn.approve(address(router), amountIn);
        uint256[] memory amounts = router.swapExactTokensForTokens(half, 0, path, address(this), block.timestamp);

        (, , liquidity) = router.addLiquidity(
            address(tokenIn),
            address(tokenOut),
            amountIn - half,
            amounts[1],
            0,
            0,
            beneficiary,
            block.timestamp
        );
        emit Zapped(payer, beneficiary, liquidity);
    }

    /// Swap with a caller-chosen minimum and deadline.
    function swap(IERC20 tokenIn, IERC20 tokenOut, uint256 amountIn, uint256 minOut, uint256 deadline) external {
        require(tokenIn.transferFrom(msg.sender, address(this), amountIn), "zap: pull");
        require(tokenIn.approve(address(router), amountIn), "zap: approve");
        address[] memory path = new address[](2);
        path[0] = address(tokenIn);
        path[1] = address(tokenOut);
        router.swapExactTokensForTokens(amountIn, minOut, path, msg.sender, deadline);
    }

    function sweep(IERC20 token) external {
        require(msg.sender == owner, "zap: owner");
        require(token.transfer(owner, token.balanceOf(address(this))), "zap: sweep");
    }
}
