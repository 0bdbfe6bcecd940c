"""The reference model of ../shared/reference/torch_ref.py (3-layer LSTM 128-64-32, dense 16, softmax 3; Adam
lr 1e-3, weight decay 1e-5) on a CUDA GPU (cuDNN LSTM), the baseline for `npm run bench:gpu`. Prints one JSON
line: training samples/s at batch 32 and 256, predict ms for 1 and 256 windows. Usage: python3 torch_cuda_ref.py"""
import json, time, torch, torch.nn as nn

torch.manual_seed(0)
dev = torch.device('cuda')


class CryptoLSTM(nn.Module):
    def __init__(s, f=20):
        super().__init__()
        s.l1 = nn.LSTM(f, 128, batch_first=True); s.l2 = nn.LSTM(128, 64, batch_first=True); s.l3 = nn.LSTM(64, 32, batch_first=True)
        s.d = nn.Dropout(0.2); s.fc = nn.Linear(32, 16); s.out = nn.Linear(16, 3)

    def forward(s, x):
        x, _ = s.l1(x); x = s.d(x); x, _ = s.l2(x); x = s.d(x); x, _ = s.l3(x); x = s.d(x[:, -1])
        return s.out(torch.relu(s.fc(x)))


def train_rate(batch, steps):
    m = CryptoLSTM().to(dev); m.train()
    opt = torch.optim.Adam(m.parameters(), lr=1e-3, weight_decay=1e-5); lossf = nn.CrossEntropyLoss()
    X = torch.randn(batch, 90, 20, device=dev); Y = torch.randint(0, 3, (batch,), device=dev)
    def step():
        opt.zero_grad(); loss = lossf(m(X), Y); loss.backward(); opt.step(); return loss
    for _ in range(5): step()
    torch.cuda.synchronize(); t = time.perf_counter()
    for _ in range(steps): step().item()  # .item() waits for the step, as the tfjs bench awaits each loss
    return steps * batch / (time.perf_counter() - t)


def predict_ms(n, reps):
    m = CryptoLSTM().to(dev).eval(); x = torch.randn(n, 90, 20, device=dev)
    with torch.no_grad():
        for _ in range(5): m(x).cpu()
        ts = []
        for _ in range(reps):
            t = time.perf_counter(); m(x).cpu(); ts.append((time.perf_counter() - t) * 1000)
    ts.sort(); return ts[len(ts) // 2]


print(json.dumps({
    'device': torch.cuda.get_device_name(0), 'torch': torch.__version__, 'cudnn': torch.backends.cudnn.version(),
    'train32': train_rate(32, 100), 'train256': train_rate(256, 50), 'predict1Ms': predict_ms(1, 50), 'predict256Ms': predict_ms(256, 20),
}))
