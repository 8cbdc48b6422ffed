# multiprocessing: a Pool of 2 workers (fork, pipes, POSIX semaphores in shared /dev/shm files).
import multiprocessing as mp


def square(x):
    return x * x


if __name__ == "__main__":
    with mp.Pool(2) as pool:
        print(pool.map(square, range(20)))
    q = mp.Queue()
    p = mp.Process(target=q.put, args=("from child",))
    p.start()
    print(q.get(), p.join() or p.exitcode)
