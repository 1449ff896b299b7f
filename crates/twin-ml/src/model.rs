//! The sequence model: tokens → a small transformer encoder → the mean and log-variance of the
//! engine's residual for every target and horizon.
//!
//! Architecture: a linear embedding of each token (its time is a feature, so no positional
//! encoding), `layers` pre-norm encoder blocks (multi-head self-attention over the valid tokens,
//! then a two-layer GELU feed-forward), a masked mean over tokens, and a linear head. Written
//! with candle's differentiable tensor operations only, so the same code trains and infers.

use candle_core::{DType, Device, Module, Tensor, D};
use candle_nn::{linear, Linear, VarBuilder};
use serde::{Deserialize, Serialize};

use crate::features::{MAX_TOKENS, N_FORECASTS, TOKEN_WIDTH};

/// The model's shape, saved beside the weights; a file whose shape differs from the build's
/// features is refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    /// Width of the token vectors this build writes.
    pub token_width: usize,
    /// Longest sequence.
    pub max_tokens: usize,
    /// Forecasts (targets × horizons).
    pub forecasts: usize,
    /// Model width.
    pub d_model: usize,
    /// Attention heads.
    pub heads: usize,
    /// Encoder blocks.
    pub layers: usize,
    /// Feed-forward width.
    pub d_ff: usize,
}

impl Config {
    /// The shipped size: 41,408 parameters; 30 s an epoch on 2 CPU cores (5,760 examples).
    pub fn standard() -> Self {
        Self {
            token_width: TOKEN_WIDTH,
            max_tokens: MAX_TOKENS,
            forecasts: N_FORECASTS,
            d_model: 48,
            heads: 4,
            layers: 2,
            d_ff: 96,
        }
    }

    /// Whether a file made with `self` fits this build's features.
    pub fn fits_this_build(&self) -> bool {
        self.token_width == TOKEN_WIDTH && self.max_tokens == MAX_TOKENS && self.forecasts == N_FORECASTS
    }
}

struct Norm {
    weight: Tensor,
    bias: Tensor,
}

impl Norm {
    fn new(size: usize, vb: VarBuilder) -> candle_core::Result<Self> {
        Ok(Self {
            weight: vb.get_with_hints(size, "weight", candle_nn::Init::Const(1.0))?,
            bias: vb.get_with_hints(size, "bias", candle_nn::Init::Const(0.0))?,
        })
    }

    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        let mean = x.mean_keepdim(D::Minus1)?;
        let centred = x.broadcast_sub(&mean)?;
        let var = centred.sqr()?.mean_keepdim(D::Minus1)?;
        centred.broadcast_div(&(var + 1e-5)?.sqrt()?)?.broadcast_mul(&self.weight)?.broadcast_add(&self.bias)
    }
}

struct Block {
    norm1: Norm,
    qkv: Linear,
    out: Linear,
    norm2: Norm,
    ff1: Linear,
    ff2: Linear,
    heads: usize,
}

impl Block {
    fn new(c: &Config, vb: VarBuilder) -> candle_core::Result<Self> {
        Ok(Self {
            norm1: Norm::new(c.d_model, vb.pp("norm1"))?,
            qkv: linear(c.d_model, 3 * c.d_model, vb.pp("qkv"))?,
            out: linear(c.d_model, c.d_model, vb.pp("out"))?,
            norm2: Norm::new(c.d_model, vb.pp("norm2"))?,
            ff1: linear(c.d_model, c.d_ff, vb.pp("ff1"))?,
            ff2: linear(c.d_ff, c.d_model, vb.pp("ff2"))?,
            heads: c.heads,
        })
    }

    /// `x`: [batch, tokens, d]; `bias`: [batch, 1, 1, tokens], 0 for a token, −1e9 for padding.
    fn forward(&self, x: &Tensor, bias: &Tensor) -> candle_core::Result<Tensor> {
        let (b, n, d) = x.dims3()?;
        let dh = d / self.heads;
        let qkv = self.qkv.forward(&self.norm1.forward(x)?)?;
        let split = |i: usize| -> candle_core::Result<Tensor> {
            qkv.narrow(D::Minus1, i * d, d)?.reshape((b, n, self.heads, dh))?.transpose(1, 2)?.contiguous()
        };
        let (q, k, v) = (split(0)?, split(1)?, split(2)?);
        let scores = (q.matmul(&k.transpose(2, 3)?.contiguous()?)? / (dh as f64).sqrt())?.broadcast_add(bias)?;
        let attention = candle_nn::ops::softmax(&scores, D::Minus1)?;
        let mixed = attention.matmul(&v)?.transpose(1, 2)?.contiguous()?.reshape((b, n, d))?;
        let x = (x + self.out.forward(&mixed)?)?;
        let ff = self.ff2.forward(&self.ff1.forward(&self.norm2.forward(&x)?)?.gelu()?)?;
        x + ff
    }
}

/// The model.
pub struct SeqModel {
    config: Config,
    embed: Linear,
    blocks: Vec<Block>,
    norm: Norm,
    head: Linear,
}

/// Log-variances are held to this range (SD 0.05–7 scale units) so one odd batch cannot blow
/// up the likelihood.
pub const LOG_VAR_BOUNDS: (f64, f64) = (-6.0, 4.0);

impl SeqModel {
    /// The model's tensors in `vb` (new, seeded ones when `vb` is a fresh `VarMap`'s).
    ///
    /// # Errors
    /// When `vb` lacks a tensor or holds one of another shape.
    pub fn new(config: Config, vb: VarBuilder) -> candle_core::Result<Self> {
        let blocks =
            (0..config.layers).map(|i| Block::new(&config, vb.pp(format!("block{i}")))).collect::<Result<_, _>>()?;
        Ok(Self {
            embed: linear(config.token_width, config.d_model, vb.pp("embed"))?,
            blocks,
            norm: Norm::new(config.d_model, vb.pp("norm"))?,
            head: linear(config.d_model, 2 * config.forecasts, vb.pp("head"))?,
            config,
        })
    }

    /// The shape.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// `tokens`: [batch, max_tokens, token_width]; `valid`: [batch, max_tokens], 1 for a token
    /// and 0 for padding. Returns (mean, log-variance), each [batch, forecasts].
    ///
    /// # Errors
    /// Shape mismatches.
    pub fn forward(&self, tokens: &Tensor, valid: &Tensor) -> candle_core::Result<(Tensor, Tensor)> {
        let (b, n, _) = tokens.dims3()?;
        let bias = ((valid.ones_like()? - valid)? * -1e9)?.reshape((b, 1, 1, n))?;
        let mut x = self.embed.forward(tokens)?;
        for block in &self.blocks {
            x = block.forward(&x, &bias)?;
        }
        let x = self.norm.forward(&x)?;
        let weights = valid.unsqueeze(2)?;
        let pooled = x.broadcast_mul(&weights)?.sum(1)?.broadcast_div(&weights.sum(1)?.clamp(1.0, f64::MAX)?)?;
        let out = self.head.forward(&pooled)?;
        let f = self.config.forecasts;
        let mean = out.narrow(1, 0, f)?;
        let log_var = out.narrow(1, f, f)?.clamp(LOG_VAR_BOUNDS.0, LOG_VAR_BOUNDS.1)?;
        Ok((mean, log_var))
    }
}

/// Examples' tokens as a padded batch: ([batch, max_tokens, width], [batch, max_tokens]).
///
/// # Errors
/// Tensor allocation failures.
pub fn batch(examples: &[&crate::features::Example], device: &Device) -> candle_core::Result<(Tensor, Tensor)> {
    let b = examples.len();
    let mut tokens = vec![0.0_f32; b * MAX_TOKENS * TOKEN_WIDTH];
    let mut valid = vec![0.0_f32; b * MAX_TOKENS];
    for (i, e) in examples.iter().enumerate() {
        let n = e.len.min(MAX_TOKENS);
        tokens[i * MAX_TOKENS * TOKEN_WIDTH..i * MAX_TOKENS * TOKEN_WIDTH + n * TOKEN_WIDTH]
            .copy_from_slice(&e.tokens[..n * TOKEN_WIDTH]);
        valid[i * MAX_TOKENS..i * MAX_TOKENS + n].fill(1.0);
    }
    Ok((
        Tensor::from_vec(tokens, (b, MAX_TOKENS, TOKEN_WIDTH), device)?,
        Tensor::from_vec(valid, (b, MAX_TOKENS), device)?.to_dtype(DType::F32)?,
    ))
}
