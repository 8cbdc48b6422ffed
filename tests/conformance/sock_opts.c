/* SOL_SOCKET options read back what was set (SO_BROADCAST, SO_DONTROUTE, SO_OOBINLINE,
 * SO_PRIORITY, SO_MARK, SO_RCVLOWAT; SO_SNDLOWAT cannot be set: ENOPROTOOPT), and an accepted
 * TCP socket inherits its listener's buffers and options (not its priority). */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>
static void g(int s,int o,const char*n){int v=-5;socklen_t l=sizeof v;int r=getsockopt(s,SOL_SOCKET,o,&v,&l);printf("%s: %d %d\n",n,r,v);}
static void st(int s,int o,int v,const char*n){int r=setsockopt(s,SOL_SOCKET,o,&v,sizeof v);printf("set %s %d: %d %s\n",n,v,r,r<0?strerrorname_np(errno):"");}
int main(void){int u=socket(AF_INET,SOCK_DGRAM,0),l=socket(AF_INET,SOCK_STREAM,0);
st(u,SO_BROADCAST,1,"broadcast");g(u,SO_BROADCAST,"broadcast");st(u,SO_DONTROUTE,5,"dontroute");g(u,SO_DONTROUTE,"dontroute");
st(u,SO_OOBINLINE,1,"oobinline");g(u,SO_OOBINLINE,"oobinline");st(u,SO_PRIORITY,3,"priority");g(u,SO_PRIORITY,"priority");
st(u,SO_MARK,7,"mark");g(u,SO_MARK,"mark");st(u,SO_RCVLOWAT,0,"rcvlowat");g(u,SO_RCVLOWAT,"rcvlowat");st(u,SO_RCVLOWAT,100,"rcvlowat");g(u,SO_RCVLOWAT,"rcvlowat");
st(u,SO_SNDLOWAT,100,"sndlowat");g(u,SO_SNDLOWAT,"sndlowat");
struct sockaddr_in a={.sin_family=AF_INET,.sin_addr.s_addr=htonl(INADDR_LOOPBACK)};socklen_t al=sizeof a;
st(l,SO_RCVBUF,4096,"rcvbuf");st(l,SO_SNDBUF,8192,"sndbuf");st(l,SO_KEEPALIVE,1,"keepalive");st(l,SO_PRIORITY,2,"priority");st(l,SO_REUSEADDR,1,"reuseaddr");st(l,SO_OOBINLINE,1,"oob");st(l,SO_DONTROUTE,1,"dr");st(l,SO_RCVLOWAT,9,"lowat");st(l,SO_BROADCAST,1,"bc");
bind(l,(void*)&a,sizeof a);getsockname(l,(void*)&a,&al);listen(l,1);int c=socket(AF_INET,SOCK_STREAM,0);connect(c,(void*)&a,sizeof a);int s=accept(l,0,0);
printf("accepted:\n");g(s,SO_RCVBUF,"rcvbuf");g(s,SO_SNDBUF,"sndbuf");g(s,SO_KEEPALIVE,"keepalive");g(s,SO_PRIORITY,"priority");g(s,SO_REUSEADDR,"reuseaddr");g(s,SO_OOBINLINE,"oob");g(s,SO_DONTROUTE,"dr");g(s,SO_RCVLOWAT,"lowat");g(s,SO_BROADCAST,"bc");return 0;}
