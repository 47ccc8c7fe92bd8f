FROM ubuntu
RUN apt-get update && apt-get install -y curl
RUN curl -fsSL https://get.example.com/install.sh | sh
COPY id_rsa /root/.ssh/id_rsa
ENV API_TOKEN=abc
