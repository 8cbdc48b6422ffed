/* Job control: SIGSTOP/SIGTSTP stop a child, SIGCONT resumes it; wait reports each once. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
int main(void) {
	int st;
	pid_t c = fork();
	if (c == 0) { for (int i = 0; i < 50; i++) usleep(20000); _exit(5); }
	usleep(50000);
	kill(c, SIGSTOP);
	pid_t w = waitpid(c, &st, WUNTRACED);
	printf("stopped: %d sig %d\n", w == c && WIFSTOPPED(st), WSTOPSIG(st));
	kill(c, SIGCONT);
	w = waitpid(c, &st, WCONTINUED);
	printf("continued: %d\n", w == c && WIFCONTINUED(st));
	siginfo_t si;
	kill(c, SIGTSTP);
	waitid(P_PID, c, &si, WSTOPPED);
	printf("waitid stopped code %d status %d\n", si.si_code == CLD_STOPPED, si.si_status);
	kill(c, SIGCONT);
	waitpid(c, &st, 0);
	printf("exited %d code %d\n", WIFEXITED(st), WEXITSTATUS(st));
	return 0;
}
