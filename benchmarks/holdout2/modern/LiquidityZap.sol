// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function approve(address spender, uint256 amount) external returns (bool);
    function balanceOf(address who) external view returns (uint256);
}

interface IUniswapV2Router02 {
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

    function getAmountsOut(uint256 amountIn, address[] calldata path) external view returns (uint256[] memory amounts);
}

library SafeTransfers {
    function safeTransferFrom(IERC20 token, address from, address to, uint256 amount) internal {
        (bool ok, bytes memory ret) = address(token).call(abi.encodeCall(IERC20.transferFrom, (from, to, amount)));
        require(ok && (ret.length == 0 || abi.decode(ret, (bool))), "transferFrom failed");
    }

    function safeTransfer(IERC20 token, address to, uint256 amount) internal {
        (bool ok, bytes memory ret) = address(token).call(abi.encodeCall(IERC20.transfer, (to, amount)));
        require(ok && (ret.length == 0 || abi.decode(ret, (bool))), "transfer failed");
    }

    function forceApprove(IERC20 token, address spender, uint256 amount) internal {
        (bool ok, bytes memory ret) = address(token).call(abi.encodeCall(IERC20.approve, (spender, 0)));
        require(ok && (ret.length == 0 || abi.decode(ret, (bool))), "approve reset failed");
        (ok, ret) = address(token).call(abi.encodeCall(IERC20.approve, (spender, amount)));
        require(ok && (ret.length == 0 || abi.decode(ret, (bool))), "approve failed");
    }
}

/// Swaps and single-sided liquidity zaps on a Uniswap V2 style router.
contract LiquidityZap {
    using SafeTransfers for IERC20;

    IUniswapV2Router02 public immutable router;

    error Expired();
    error InsufficientOutput();

    constructor(IUniswapV2Router02 _router) {
        router = _router;
    }

    function _path(address a, address b) private pure returns (address[] memory path) {
        path = new address[](2);
        path[0] = a;
        path[1] = b;
    }

    /// Plain swap: the caller chooses the minimum output and the deadline.
    function swap(address tokenIn, address tokenOut, uint256 amountIn, uint256 minOut, uint256 deadline)
        external
        returns (uint256 out)
    {
        if (block.timestamp > deadline) revert Expired();
        IERC20(tokenIn).safeTransferFrom(msg.sender, address(this), amountIn);
        IERC20(tokenIn).forceApprove(address(router), amountIn);
        uint256[] memory amounts = router.swapExactTokensForTokens(amountIn, minOut, _path(tokenIn, tokenOut), msg.sender, deadline);
        out = amounts[1];
        if (out < minOut) revert InsufficientOutput();
    }

    /// One-click swap for the UI: tolerates 1% slippage off the router quote.
    function swapAtQuote(address tokenIn, address tokenOut, uint256 amountIn) external returns (uint256 out) {
        IERC20(tokenIn).safeTransferFrom(msg.sender, address(this), amountIn);
        IERC20(tokenIn).forceApprove(address(router), amountIn);
        address[] memory path = _path(tokenIn, tokenOut);
        uint256 quoted = router.getAmountsOut(amountIn, path)[1];
        uint256 minOut = (quoted * 99) / 100;
        out = router.swapExactTokensForTokens(amountIn, minOut, path, msg.sender, block.timestamp)[1];
    }

    /// Converts half of `amountIn` into `other` and adds both as liquidity for the caller.
    function zapIn(address tokenIn, address other, uint256 amountIn) external returns (uint256 liquidity) {
        IERC20(tokenIn).safeTransferFrom(msg.sender, address(this), amountIn);
        IERC20(tokenIn).forceApprove(address(router), amountIn);
        uint256 half = amountIn / 2;
        uint256 bought = router.swapExactTokensForTokens(half, 0, _path(tokenIn, other), address(this), block.timestamp)[1];

        IERC20(other).forceApprove(address(router), bought);
        uint256 usedIn;
        uint256 usedOther;
        (usedIn, usedOther, liquidity) =
            router.addLiquidity(tokenIn, other, amountIn - half, bought, 0, 0, msg.sender, block.timestamp);

        if (amountIn - half > usedIn) IERC20(tokenIn).safeTransfer(msg.sender, amountIn - half - usedIn);
        if (bought > usedOther) IERC20(other).safeTransfer(msg.sender, bought - usedOther);
    }
}
